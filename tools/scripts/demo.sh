#!/usr/bin/env bash
# `npm run demo`: set up, start the stack, summarize the bundled sample screenplay, stop.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/setup.sh
exec node tools/scripts/demo.mjs "$@"
