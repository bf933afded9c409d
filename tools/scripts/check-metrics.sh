#!/usr/bin/env bash
# `npm run check:metrics`: a real Prometheus scrapes every service while a job runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/setup.sh
if ! command -v prometheus >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's prometheus" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus) >tmp/apt.log 2>&1 || { cat tmp/apt.log >&2; exit 1; }
  else
    echo "this check needs Debian's prometheus: apt-get install -y prometheus" >&2
    exit 1
  fi
fi
exec node tools/scripts/check-metrics.mjs
