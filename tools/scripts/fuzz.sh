#!/usr/bin/env bash
# `npm run test:fuzz`: the hostile-input suites with a fresh random seed each run (`npm test`
# runs them with a fixed one). Prints the seed; a failing seed replays exactly:
#
#   npm run test:fuzz                                  # new seed, 2500 requests
#   FUZZ_SEED=1482169303 FUZZ_RUNS=20000 npm run test:fuzz
#
# A seed found failing becomes a fixed regression case (see apps/api/src/fuzz.int.test.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh
export FUZZ_SEED="${FUZZ_SEED:-$(node -e 'console.log(Math.floor(Math.random() * 2 ** 31))')}"
export FUZZ_RUNS="${FUZZ_RUNS:-2500}"
echo "fuzz: FUZZ_SEED=$FUZZ_SEED FUZZ_RUNS=$FUZZ_RUNS" >&2
exec npx vitest run apps/api/src/fuzz.int.test.ts "$@"
