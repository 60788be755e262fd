#!/usr/bin/env bash
# `make bench`: the release server against a fresh database holding the demo data plus
# $BENCH_VENDORS vendors, loaded by wrk over loopback; the figures go to docs/benchmarks.md.
# Each run is bounded (wrk -d) and the server and database are removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

VENDORS=${BENCH_VENDORS:-100}
DURATION=${BENCH_SECONDS:-10}
PORT=${BENCH_PORT:-18080}
BASE="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else echo "bench: install wrk" >&2; exit 1; fi
fi

cargo build --release --quiet -p web -p xtask
url=$(scripts/database-url.sh)
server=${url%/*}
db="wz_bench_$$"
psql -qX -d "$server/postgres" -c "CREATE DATABASE $db" >/dev/null
pid=""
cold=""
cleanup() {
  [ -n "$cold" ] && kill "$cold" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  psql -qX -d "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
}
trap cleanup EXIT

export DATABASE_URL="$server/$db"
target/release/xtask migrate >/dev/null
target/release/xtask seed >/dev/null
PRODUCTS=${BENCH_PRODUCTS:-100000}
seeded=$(target/release/xtask seed --products "$PRODUCTS" --vendor luxtech)
echo "bench: $seeded" >&2
# Seeding wrote ~1 GB of WAL and left autovacuum work on the new tables (and the search
# index's pending list): both are done now, so they do not share the cores with what is measured.
psql -qX -d "$server/$db" -c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null
server_url=$(target/release/xtask create-login --password "bench-$$-$RANDOM")
# One signing secret for both servers of the run, so a token of one is good at the other.
export JWT_SECRET="bench-$$-$RANDOM-$(date +%s%N)-$RANDOM$RANDOM"

DATABASE_URL="$server_url" BIND_ADDR="127.0.0.1:$PORT" RUST_LOG=warn \
  LOGIN_RATE_PER_IP_PER_MINUTE=100000000 LOGIN_RATE_PER_ACCOUNT_PER_MINUTE=100000000 \
  target/release/wizamart >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs "$BASE/health/live" >/dev/null && break; sleep 0.2; done

login='{"email":"admin@wizamart.local","password":"admin-demo-2026"}'
admin=$(curl -fs -H 'content-type: application/json' -d "$login" "$BASE/api/v1/admin/auth/login" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
vendor=$(curl -fs -H 'content-type: application/json' \
  -d '{"email":"owner@luxtech.lu","password":"owner-demo-2026","vendor_code":"luxtech"}' \
  "$BASE/api/v1/vendor/auth/login" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

product=$(psql -qtAX -d "$server/$db" -c "SELECT id FROM products WHERE sku = 'GEN-50000'")
csv=$(mktemp)
echo "vendor_name,subdomain,owner_name,owner_email,initial_password" > "$csv"
for i in $(seq "$VENDORS"); do echo "Bench Vendor $i,bench-$i,Owner $i,owner$i@bench.test,bench-password-$i" >> "$csv"; done
started=$(date +%s%N)
queued=$(curl -fs -H "Authorization: Bearer $admin" -F "file=@$csv" "$BASE/api/v1/admin/vendors/bulk-import")
# More than 20 rows run as a job: wait for it to end.
bulk_id=$(sed -n 's/^{"id":\([0-9]*\),"status".*/\1/p' <<<"$queued")
while [ -n "$bulk_id" ]; do
  case "$(curl -fs -H "Authorization: Bearer $admin" "$BASE/api/v1/admin/vendors/bulk-import/$bulk_id")" in
    *'"status":"pending"'*|*'"status":"processing"'*) sleep 0.2 ;;
    *) break ;;
  esac
done
bulk_ms=$(( ($(date +%s%N) - started) / 1000000 ))
rm -f "$csv"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
rows=()
rps=""
run() { # name, wrk args...
  local name=$1; shift
  local out p50 p99
  out=$(wrk -t2 -c"${CONNECTIONS:-16}" -d"${DURATION}s" --latency "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  rows+=("| $name | $rps | $p50 | $p99 |")
  echo "bench: $name: $rps req/s, p50 $p50, p99 $p99" >&2
}
# The catalogue at $PRODUCTS products, 64 connections, each also as a share of the ceiling: a
# pooled SELECT 1 (/health/ready) measured in the same run.
catalog_rows=()
catalog() { # name, wrk args...
  local name=$1; shift
  CONNECTIONS=64 run "$name" "$@"
  catalog_rows+=("${rows[-1]% |} | $(awk -v r="$rps" -v c="$ceiling" 'BEGIN {printf "%.0f %%", 100 * r / c}') |")
  unset 'rows[-1]'
}
CONNECTIONS=64 run "GET /health/ready (pooled SELECT 1: the ceiling)" "$BASE/health/ready"
ceiling=$rps
catalog_rows+=("${rows[-1]% |} | 100 % |")
unset 'rows[-1]'
# The floor of any vendor read: the membership check and one transaction that finds nothing.
catalog "GET /api/v1/vendor/products/{missing} (404: the floor of a vendor read)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/vendor/products/999999999"
catalog "GET /api/v1/vendor/products?page=3 (list)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/vendor/products?page=3"
catalog "GET /api/v1/vendor/products?q=echarpe laine (full-text search)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/vendor/products?q=echarpe%20laine"
catalog "GET /api/v1/vendor/products?q=ech (type-ahead prefix)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/vendor/products?q=ech"
catalog "GET /api/v1/vendor/products/{id} (one product)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/vendor/products/$product"
# The shop's product list, as its public API and as the page (issue 8's goals: JSON >= 50 %,
# HTML >= 40 % of the ceiling, p99 <= 50 ms).
catalog "GET /api/v1/public/vendors/luxtech/products?page=3 (shop list, JSON)" "$BASE/api/v1/public/vendors/luxtech/products?page=3"
catalog "GET /shop/luxtech/products?page=3 (shop list, HTML page)" "$BASE/shop/luxtech/products?page=3"
# The same lists from a second server that caches nothing (SHOP_CACHE_MS=0, VENDOR_CACHE_MB=0):
# what a page costs when no cache has it (the first read after a change, a rare query).
COLD="http://127.0.0.1:$((PORT + 1))"
DATABASE_URL="$server_url" BIND_ADDR="127.0.0.1:$((PORT + 1))" RUST_LOG=warn SHOP_CACHE_MS=0 VENDOR_CACHE_MB=0 \
  WORKERS=0 target/release/wizamart >/dev/null 2>&1 &
cold=$!
for _ in $(seq 50); do curl -fs "$COLD/health/live" >/dev/null && break; sleep 0.2; done
catalog "GET /api/v1/vendor/products?page=3 (list, uncached)" -H "Authorization: Bearer $vendor" "$COLD/api/v1/vendor/products?page=3"
catalog "GET /api/v1/vendor/products?q=echarpe laine (full-text search, uncached)" -H "Authorization: Bearer $vendor" "$COLD/api/v1/vendor/products?q=echarpe%20laine"
catalog "GET /api/v1/public/vendors/luxtech/products?page=3 (shop list, JSON, uncached)" "$COLD/api/v1/public/vendors/luxtech/products?page=3"
catalog "GET /shop/luxtech/products?page=3 (shop list, HTML page, uncached)" "$COLD/shop/luxtech/products?page=3"
kill "$cold"; wait "$cold" 2>/dev/null || true; cold=""
rss_idle=$(rss_kib)

# Checkouts of distinct products (issue 8): carts made beforehand in SQL, one per request, one
# product each, sessions bench-cart-<wrk thread>-<n>; guests, 16 connections.
CARTS=${BENCH_CARTS:-20000}
psql -qX -d "$server/$db" <<SQL
WITH v AS (SELECT id FROM vendors WHERE code = 'luxtech'),
p AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM products
      WHERE vendor_id = (SELECT id FROM v) AND sku LIKE 'GEN-%' ORDER BY id LIMIT $CARTS),
s AS (SELECT t, p.n, p.id AS product_id,
             format('bench-cart-%s-%s', t, lpad(((p.n - 1) / 2 + 1)::text, 30, '0')) AS session
      FROM p, generate_series(0, 1) AS t WHERE (p.n - 1) % 2 = t),
c AS (INSERT INTO carts (vendor_id, session_hash, expires_at)
      SELECT (SELECT id FROM v), encode(sha256(session::bytea), 'hex'), now() + interval '1 day' FROM s
      RETURNING id, session_hash)
INSERT INTO cart_items (vendor_id, cart_id, product_id, quantity)
SELECT (SELECT id FROM v), c.id, s.product_id, 1 FROM c JOIN s ON c.session_hash = encode(sha256(s.session::bytea), 'hex');
SQL
checkout_out=$(wrk -t2 -c16 -d"${DURATION}s" --latency -s scripts/bench/checkout.lua "$BASE/api/v1/public/vendors/luxtech/orders" 2>&1)
checkout_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$checkout_out")
checkout_p99=$(awk '$1 == "99%" {print $2}' <<<"$checkout_out")
checkout_counts=$(sed -n 's/^checkout: //p' <<<"$checkout_out")
rss_checkout=$(rss_kib)
echo "bench: checkout: $checkout_rps req/s, p99 $checkout_p99 ($checkout_counts)" >&2
# The orders queued their e-mails (logged here: no SMTP server): the workers send them before
# the import is timed, so the import does not wait behind them in the queue.
started=$(date +%s%N)
emails=$(psql -qtAX -d "$server/$db" -c "SELECT count(*) FROM jobs WHERE kind = 'email.send' AND status IN ('queued', 'running')")
for _ in $(seq 1200); do
  [ "$(psql -qtAX -d "$server/$db" -c "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND run_at <= now()")" = 0 ] && break
  sleep 0.5
done
emails_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "bench: $emails e-mails sent in $emails_ms ms" >&2

# A generated Letzshop feed staged end to end (upload to `completed`) by the server's own
# workers, against psql \copy of the same file into a plain table, sampling the server's RSS.
FEED_ROWS=${BENCH_FEED_ROWS:-100000}
feed=$(mktemp --suffix=.csv)
awk -v n="$FEED_ROWS" 'BEGIN {
  print "id\ttitle\tdescription\tlink\timage_link\tavailability\tprice\tbrand\tgtin\tcondition"
  for (i = 0; i < n; i++)
    printf "LS-%07d\tProduit %d Écharpe laine\tUne description du produit %d, livré depuis le Luxembourg.\thttps://letzshop.lu/fr/p/%d\thttps://images.letzshop.lu/p/%d/0.jpg\tin stock\t%d.%02d EUR\tMoselle & Co\t\tnew\n", i, i, i, i, i, 1 + i % 500, i % 100
}' > "$feed"
bakery=$(curl -fs -H 'content-type: application/json' \
  -d '{"email":"owner@bakery.lu","password":"owner-demo-2026","vendor_code":"bakery"}' \
  "$BASE/api/v1/vendor/auth/login" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
stage_feed() { # prints: milliseconds peak-RSS-KiB
  local started id status peak r
  started=$(date +%s%N)
  id=$(curl -fs -H "Authorization: Bearer $bakery" -F "file=@$feed" \
    "$BASE/api/v1/vendor/marketplace/import/upload?language=fr" | sed 's/.*"id":\([0-9]*\).*/\1/')
  peak=0
  while true; do
    r=$(rss_kib); [ "$r" -gt "$peak" ] && peak=$r
    status=$(curl -fs -H "Authorization: Bearer $bakery" "$BASE/api/v1/vendor/marketplace/jobs/$id")
    case "$status" in *'"status":"pending"'*|*'"status":"processing"'*) sleep 0.1 ;; *) break ;; esac
  done
  echo "$(( ($(date +%s%N) - started) / 1000000 )) $peak"
}
# The vendors' bulk import wrote since the checkpoint after seeding.
psql -qX -d "$server/$db" -c "CHECKPOINT" >/dev/null
read -r import_ms import_peak <<<"$(stage_feed)"
read -r reimport_ms reimport_peak <<<"$(stage_feed)"
psql -qX -d "$server/$db" -c "CREATE TABLE bench_feed (id text, title text, description text, link text, image_link text, availability text, price text, brand text, gtin text, condition text)"
started=$(date +%s%N)
psql -qX -d "$server/$db" -c "\\copy bench_feed FROM '$feed' WITH (FORMAT csv, DELIMITER E'\\t', HEADER true)"
copy_ms=$(( ($(date +%s%N) - started) / 1000000 ))
# The database's own share of staging: the copied rows into the two staging tables with their
# keys, checks and foreign keys, by two INSERT ... SELECT (as the owner, so without row-level
# security), for a vendor with nothing staged; rolled back.
started=$(date +%s%N)
psql -qX -v ON_ERROR_STOP=1 -d "$server/$db" >/dev/null <<SQL
SELECT min(id) AS empty_vendor FROM vendors v
WHERE NOT EXISTS (SELECT 1 FROM marketplace_products m WHERE m.vendor_id = v.id) \\gset
BEGIN;
INSERT INTO marketplace_products (vendor_id, external_id, price_cents, currency, availability,
  brand, condition, image_link)
SELECT :empty_vendor, id, 100, 'EUR', 'in_stock', brand, 'new', image_link FROM bench_feed;
INSERT INTO marketplace_product_translations (marketplace_product_id, language, vendor_id, title,
  description, link)
SELECT m.id, 'fr', m.vendor_id, f.title, f.description, f.link
FROM bench_feed f JOIN marketplace_products m
  ON m.vendor_id = :empty_vendor AND m.external_id = f.id;
ROLLBACK;
SQL
floor_ms=$(( ($(date +%s%N) - started) / 1000000 ))
rm -f "$feed"
echo "bench: feed of $FEED_ROWS rows staged in $import_ms ms (again: $reimport_ms ms), psql copy $copy_ms ms, INSERT ... SELECT $floor_ms ms" >&2

run "GET /health/live" "$BASE/health/live"
run "GET /api/v1/admin/vendors (page of 20 of $((VENDORS + 2)))" -H "Authorization: Bearer $admin" "$BASE/api/v1/admin/vendors?per_page=20"
run "GET /api/v1/admin/vendors?q=bench-4 (search)" -H "Authorization: Bearer $admin" "$BASE/api/v1/admin/vendors?q=bench-4"
run "GET /api/v1/admin/dashboard/stats (platform figures)" -H "Authorization: Bearer $admin" "$BASE/api/v1/admin/dashboard/stats"
run "GET /api/v1/admin/audit-logs?limit=50 (newest audit page)" -H "Authorization: Bearer $admin" "$BASE/api/v1/admin/audit-logs?limit=50"
run "GET /api/v1/auth/me (vendor: token + membership check)" -H "Authorization: Bearer $vendor" "$BASE/api/v1/auth/me"
CONNECTIONS=4 LOGIN_BODY="$login" run "POST /api/v1/admin/auth/login (bcrypt cost 12)" -s scripts/bench/login.lua "$BASE/api/v1/admin/auth/login"
rss_loaded=$(rss_kib)

{
  echo "# Benchmarks"
  echo
  echo "Made by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d): the release server on"
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), PostgreSQL $(psql -qtAX -d "$server/postgres" -c 'SHOW server_version' | cut -d' ' -f1)"
  echo "on the same machine, wrk with 2 threads for ${DURATION}s per row over loopback (16 connections;"
  echo "4 for logins). The database holds the demo data plus $VENDORS vendors. Figures from one"
  echo "machine that also runs the load generator: compare runs, not absolutes."
  echo
  echo "| request | req/s | p50 | p99 |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo
  echo "## The catalogue at $PRODUCTS products"
  echo
  echo "One vendor (luxtech) with $PRODUCTS generated products (\`cargo xtask seed --products\`), 64"
  echo "connections, the server's pool at its default size; share = req/s of the ceiling, a pooled"
  echo "\`SELECT 1\` (\`/health/ready\`) measured in the same run. Goals: list >= 50 % of the ceiling,"
  echo "p99 <= 50 ms; search p99 <= 50 ms. The vendor's member and catalogue pages are kept in"
  echo "memory until the change feed says they changed, the shop's lists for \`SHOP_CACHE_MS\`; rows"
  echo "marked uncached come from a second server that keeps nothing (\`VENDOR_CACHE_MB=0\`,"
  echo "\`SHOP_CACHE_MS=0\`): what a first read after a change costs. wrk corrects its percentiles for"
  echo "coordinated omission, so one stalled request weighs as all those it held up."
  echo
  echo "| request | req/s | p50 | p99 | share |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${catalog_rows[@]}"
  echo
  echo "- Loading $PRODUCTS products with texts, inventory and ledger: ${seeded#* in }."
  echo "- Bulk import of $VENDORS vendors (one bcrypt hash each, cost 12; a background job): $((bulk_ms / 1000)).$(( (bulk_ms % 1000) / 100 )) s."
  echo "- Checkouts of distinct products (guests, 16 connections, one cart each made beforehand): $checkout_rps a second, p99 $checkout_p99 ($checkout_counts; refused: generated products without stock); server RSS after them $((rss_checkout / 1024)) MiB (goal <= 100 MB)."
  echo "- The checkouts' $emails e-mail jobs (rendered and logged: no SMTP server) done by the server's 2 workers in $((emails_ms / 1000)).$(( (emails_ms % 1000) / 100 )) s."
  echo "- Server memory (RSS): $((rss_idle / 1024)) MiB after start-up and import, $((rss_loaded / 1024)) MiB after the load."
  echo
  echo "## Letzshop import of $FEED_ROWS rows"
  echo
  echo "A generated tab-separated feed ($FEED_ROWS rows, one language) uploaded and staged by the"
  echo "server's workers, timed from the upload to \`completed\`; the same file loaded by \`psql \\copy\`"
  echo "into a plain table (no keys, no checks) in the same run. Goals: <= 10 s, within 3x of the copy,"
  echo "peak RSS flat and <= 150 MB. For scale, the database's own share: the copied rows inserted"
  echo "into the two staging tables (keys, checks, foreign keys; rolled back) by \`INSERT ... SELECT\`."
  echo
  echo "| run | time | rows/s | x psql \\copy | peak server RSS |"
  echo "|---|---|---|---|---|"
  for r in "first import:$import_ms:$import_peak" "re-import, nothing changed:$reimport_ms:$reimport_peak"; do
    IFS=: read -r name ms peak <<<"$r"
    echo "| $name | $((ms / 1000)).$(( (ms % 1000) / 100 )) s | $(( FEED_ROWS * 1000 / (ms > 0 ? ms : 1) )) | $(awk -v a="$ms" -v b="$copy_ms" 'BEGIN {printf "%.0f", a / (b > 0 ? b : 1)}') | $((peak / 1024)) MiB |"
  done
  echo "| psql \\copy | $((copy_ms / 1000)).$(( (copy_ms % 1000) / 100 )) s | $(( FEED_ROWS * 1000 / (copy_ms > 0 ? copy_ms : 1) )) | 1 | |"
  echo "| INSERT ... SELECT into the staging tables | $((floor_ms / 1000)).$(( (floor_ms % 1000) / 100 )) s | $(( FEED_ROWS * 1000 / (floor_ms > 0 ? floor_ms : 1) )) | $(awk -v a="$floor_ms" -v b="$copy_ms" 'BEGIN {printf "%.0f", a / (b > 0 ? b : 1)}') | |"
} > docs/benchmarks.md
echo "bench: wrote docs/benchmarks.md" >&2
