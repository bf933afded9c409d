#!/usr/bin/env bash
# `npm run test:faults`: the fault suite (docs/fault-suite.md). Makes sure of the
# dependencies and the machine's PostgreSQL and NATS (as `npm test` does), builds the four
# services (nx, cached), then runs every fault scenario against them as processes, one at a
# time. Minutes, not seconds.
#
#   bash tools/scripts/fault-suite.sh                        # the whole suite; rewrites the table in docs/fault-suite.md
#   FAULT_AT_FRACTION=0.8 FAULT_SEED=42 bash tools/scripts/fault-suite.sh   # faults at another moment
#   bash tools/scripts/fault-suite.sh nats-restart           # one scenario (vitest filter); docs untouched
#
# Results: each run in its own tmp/fault-suite/run-<time>-<pid>/ (results.jsonl: every
# measurement; results.md: the table; logs/<scenario>/: every service process's log); the
# latest finished run's results also in tmp/fault-suite/results.{jsonl,md}.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p tmp/fault-suite

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || ! port_open 5432 || ! port_open 4222; then
  SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh   # installs, starts PostgreSQL/NATS, builds everything
fi
# Only what the suite runs: the services (and the libs they bundle). vitest compiles the tests.
echo "▸ building the services (nx, cached)" >&2
NX_DAEMON=false npx nx run-many -t build --projects=api,orchestrator,summarizer,health \
  --outputStyle=static >tmp/fault-suite/build.log 2>&1 || { cat tmp/fault-suite/build.log >&2; exit 1; }

# Only a whole run at the default moments speaks for the suite in the docs.
if [ "$#" -eq 0 ] && [ -z "${FAULT_AT_FRACTION:-}" ] && [ -z "${FAULT_SEED:-}" ]; then
  export FAULT_WRITE_DOCS=1
fi
export FAULT_RUN_DIR="tmp/fault-suite/run-$(date -u +%Y-%m-%dT%H-%M-%S)-$$"
status=0
npx vitest run --config tools/e2e/faults.vitest.config.mts "$@" || status=$?
if [ -f "$FAULT_RUN_DIR/results.md" ]; then
  printf '\n' && cat "$FAULT_RUN_DIR/results.md"
  printf '\nresults and every service log: %s/\n' "$FAULT_RUN_DIR"
fi
exit "$status"
