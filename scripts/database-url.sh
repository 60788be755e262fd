#!/usr/bin/env bash
# Prints the URL of a reachable PostgreSQL database for Wizamart, creating the database if
# needed:
#   1. $DATABASE_URL (from the environment or .env) when it answers;
#   2. else the local server at 127.0.0.1:5432 when it answers;
#   3. else a private cluster under target/pgdata, created and started with this machine's
#      PostgreSQL binaries (as the `postgres` system user when run as root: initdb refuses root).
# Progress goes to stderr; only the URL goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${WIZAMART_DB_NAME:-wizamart}
PRIVATE_PORT=${WIZAMART_PG_PORT:-55432}

log() { echo "database-url: $*" >&2; }

if [ -z "${DATABASE_URL:-}" ] && [ -f .env ]; then
  DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' .env | tail -n 1 | tr -d '"'"'" || true)
fi

reachable() { pg_isready -q -t 3 -d "$1" >/dev/null 2>&1; }

# server_of URL -> the URL without its database name and query
server_of() { local u=${1%%\?*}; local rest=${u#*://}; echo "${u%%://*}://${rest%%/*}"; }

ensure_database() { # URL
  local url=$1 server db
  server=$(server_of "$url")
  db=${url#"$server"/}; db=${db%%\?*}
  [ -n "$db" ] || db=postgres
  if ! psql -qtAX -d "$server/postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    log "creating database $db"
    psql -qX -d "$server/postgres" -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
}

if [ -n "${DATABASE_URL:-}" ]; then
  if reachable "$(server_of "$DATABASE_URL")/postgres"; then
    ensure_database "$DATABASE_URL"
    echo "$DATABASE_URL"
    exit 0
  fi
  log "DATABASE_URL does not answer; trying the local server"
fi

LOCAL="postgres://postgres@127.0.0.1:5432"
if reachable "$LOCAL/postgres"; then
  ensure_database "$LOCAL/$DB_NAME"
  echo "$LOCAL/$DB_NAME"
  exit 0
fi

# A private cluster under target/.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  bindir=$(dirname "$(command -v initdb || command -v pg_ctl || echo /nonexistent/x)")
fi
[ -x "$bindir/initdb" ] || { log "no PostgreSQL binaries found (install the postgresql package)"; exit 1; }

data=$PWD/target/pgdata
mkdir -p target
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  mkdir -p "$data"; chown postgres "$data"; chmod 700 "$data"
  as_pg() { runuser -u postgres -- "$@"; }
fi
if [ ! -f "$data/PG_VERSION" ]; then
  log "creating a private PostgreSQL cluster in $data"
  as_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
fi
PRIVATE="postgres://postgres@127.0.0.1:$PRIVATE_PORT"
if ! reachable "$PRIVATE/postgres"; then
  log "starting the private cluster on port $PRIVATE_PORT"
  as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $PRIVATE_PORT -k $data -c listen_addresses=127.0.0.1" start >/dev/null
fi
ensure_database "$PRIVATE/$DB_NAME"
echo "$PRIVATE/$DB_NAME"
