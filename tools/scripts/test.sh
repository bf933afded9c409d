#!/usr/bin/env bash
# `npm test`: set up (install, PostgreSQL and NATS, build) and run the whole suite: unit tests,
# integration tests against the real PostgreSQL and NATS, and the end-to-end run of the four
# services as processes. Tests make their own databases and NATS namespaces.
set -euo pipefail
cd "$(dirname "$0")/../.."
SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh
exec npx vitest run "$@"
