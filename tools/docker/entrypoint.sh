#!/bin/sh
# Starts one service of the image, chosen by ENTRY, with OpenTelemetry loaded first.
# Without ANTHROPIC_API_KEY the services talk to the local Anthropic-compatible server
# (the compose file runs it), and say so, exactly as `npm start` does on a laptop.
set -eu
case "$ENTRY" in
  dist/apps/*)
    if [ -z "${ANTHROPIC_API_KEY:-}" ]; then
      export ANTHROPIC_BASE_URL="${ANTHROPIC_BASE_URL:-${ANTHROPIC_LOCAL_URL:-http://anthropic-local:4010}}"
      export ANTHROPIC_API_KEY=local-server-needs-no-key
      echo "No ANTHROPIC_API_KEY is set: using the local Anthropic-compatible server at $ANTHROPIC_BASE_URL (not Claude)" >&2
    fi
    # A 4 MB young generation (node's default here is 16 MB): ~20-40 MB less resident per
    # service for a little more frequent minor GC (bench/: footprint and throughput).
    exec node --enable-source-maps --max-semi-space-size=4 --require ./dist/libs/telemetry/instrumentation.js "$ENTRY" "$@" ;;
  *)
    exec node --enable-source-maps "$ENTRY" "$@" ;;
esac
