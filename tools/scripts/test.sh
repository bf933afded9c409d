#!/usr/bin/env bash
# `npm test`: set up (install, PostgreSQL and NATS, build) and run the whole suite: unit tests,
# integration tests against the real PostgreSQL and NATS, and the end-to-end run of the four
# services as processes. Tests make their own databases and NATS namespaces.
set -euo pipefail
cd "$(dirname "$0")/../.."
SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh

# Two tools from Debian's packages (no Docker engine, no downloaded browser): docker-compose
# validates docker-compose.yml; chromium runs the status page's browser test.
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} (for the compose and browser tests)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >tmp/apt.log 2>&1 \
      || { cat tmp/apt.log >&2; exit 1; }
  else
    echo "the tests need ${missing[*]}: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

exec npx vitest run "$@"
