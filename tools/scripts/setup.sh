#!/usr/bin/env bash
# Prepares a checkout to run, idempotently: npm dependencies, the machine's PostgreSQL and
# NATS (started when they are down), the Prisma client, the build, and the database with its
# migrations applied. Used by `npm run demo`, `npm start` and `npm test`; nothing is
# downloaded but npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m▸ %s\033[0m\n' "$*" >&2; }

install_dependencies() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  for _ in $(seq 1 50); do port_open "$1" "$2" && return 0; sleep 0.2; done
  return 1
}

ensure_postgres() {
  port_open 127.0.0.1 5432 && return 0
  say "PostgreSQL is down on 127.0.0.1:5432; starting it"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  wait_for_port 127.0.0.1 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432 and could not be started (apt-get install -y postgresql)" >&2; exit 1; }
}

ensure_nats() {
  port_open 127.0.0.1 4222 && return 0
  say "NATS is down on 127.0.0.1:4222; starting it with JetStream"
  if [ -x /usr/sbin/nats-server ]; then
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  fi
  wait_for_port 127.0.0.1 4222 || { echo "NATS is not running on 127.0.0.1:4222 and could not be started (apt-get install -y nats-server)" >&2; exit 1; }
}

build() {
  say "building (nx run-many -t build; cached after the first run)"
  NX_DAEMON=false npx nx run-many -t build --outputStyle=static --skipNxCache=false >tmp/build.log 2>&1 || {
    cat tmp/build.log >&2
    exit 1
  }
}

migrate_database() {
  local url="${DATABASE_URL:-postgresql://root@127.0.0.1:5432/scenewise}"
  node tools/scripts/create-database.mjs "$url"
  say "applying database migrations (prisma migrate deploy)"
  (cd libs/db && DATABASE_URL="$url" CHECKPOINT_DISABLE=1 npx prisma migrate deploy >/dev/null)
}

mkdir -p tmp
install_dependencies
ensure_postgres
ensure_nats
build
[ "${SETUP_SKIP_MIGRATE:-}" = "1" ] || migrate_database
