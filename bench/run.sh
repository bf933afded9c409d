#!/usr/bin/env bash
# One command per benchmark: `bash bench/run.sh <benchmark> [flags]` (see bench/README.md).
# Prepares the checkout as `npm test` does (dependencies, PostgreSQL and NATS, the build,
# cached by nx), bundles the benchmark with esbuild and runs it. `--help` lists its flags.
set -euo pipefail
cd "$(dirname "$0")/.."

benchmarks="fanout throughput rate-limit reanalysis footprint fairness"
name="${1:-}"
if [ -z "$name" ] || [ ! -f "bench/src/$name.ts" ]; then
  echo "usage: bash bench/run.sh <$(echo $benchmarks | tr ' ' '|')> [flags]   (--help for the flags)" >&2
  exit 2
fi
shift

if [ "${BENCH_SKIP_SETUP:-}" != "1" ]; then
  SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh
fi
node bench/bundle.mjs "$name"
exec node --enable-source-maps "dist/bench/$name.js" "$@"
