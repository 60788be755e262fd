#!/usr/bin/env bash
# `make test`: each member crate's tests on their own (so a failure names its crate), then
# the end-to-end tests, against the PostgreSQL that scripts/database-url.sh finds or starts.
# Ends with one summary line: "make test: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

TEST_DATABASE_URL=$(scripts/database-url.sh) || { echo "make test: no PostgreSQL"; exit 1; }
export TEST_DATABASE_URL

passed=0 failed=0 started=$(date +%s) broken=()
log=$(mktemp)
for crate in "$@"; do
  echo "== cargo test -p $crate"
  cargo test -p "$crate" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  while read -r p f; do
    passed=$((passed + p)); failed=$((failed + f))
  done < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log")
  [ "$status" -eq 0 ] || broken+=("$crate")
done
rm -f "$log"
echo "make test: ${#broken[@]} crate(s) failing${broken:+: ${broken[*]}}; took $(( $(date +%s) - started ))s"
echo "$passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ]
