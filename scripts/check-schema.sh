#!/usr/bin/env bash
# Checks that crates/db/src/schema.rs is exactly what `diesel print-schema` makes of the
# migrations (run into a scratch database). `--write` regenerates the file instead.
# Installs diesel_cli (PostgreSQL only) with cargo when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v diesel >/dev/null 2>&1 || cargo install --locked --quiet diesel_cli --no-default-features --features postgres

url=$(scripts/database-url.sh)
server=${url%/*}
scratch="wz_schema_check_$$"
psql -qX -d "$server/postgres" -c "CREATE DATABASE $scratch" >/dev/null
trap 'psql -qX -d "$server/postgres" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null' EXIT

# Migrate with our own runner: `diesel migration run` would rewrite schema.rs as a side effect.
DATABASE_URL="$server/$scratch" cargo xtask migrate >/dev/null
generated=$(mktemp)
diesel print-schema --database-url "$server/$scratch" > "$generated"

if [ "${1:-}" = "--write" ]; then
  cp "$generated" crates/db/src/schema.rs
  echo "schema.rs regenerated"
elif diff -u crates/db/src/schema.rs "$generated"; then
  echo "schema.rs matches the migrations"
else
  echo "schema.rs differs from the migrations: run scripts/check-schema.sh --write" >&2
  exit 1
fi
