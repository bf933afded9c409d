#!/usr/bin/env bash
# `npm start`: set up (install, services, build, migrations), then run the whole stack in the
# foreground. Ctrl-C stops every process cleanly.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/setup.sh
exec node tools/scripts/stack.mjs
