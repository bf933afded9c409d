#!/usr/bin/env bash
# `npm test`: set up (install, PostgreSQL and NATS, build) and run the whole suite: unit tests,
# integration tests against the real PostgreSQL and NATS, and the end-to-end run of the four
# services as processes. Tests make their own databases and NATS namespaces.
set -euo pipefail
cd "$(dirname "$0")/../.."
SETUP_SKIP_MIGRATE=1 bash tools/scripts/setup.sh

# docker-compose.yml is validated by Debian's docker-compose (no Docker engine needed).
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's docker-compose (to validate docker-compose.yml)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose) >tmp/apt.log 2>&1 \
      || { cat tmp/apt.log >&2; exit 1; }
  else
    echo "docker-compose is needed to validate docker-compose.yml: apt-get install -y docker-compose" >&2
    exit 1
  fi
fi
exec npx vitest run "$@"
