#!/usr/bin/env bash
# `make test`: each member crate's tests on their own (so a failure names its crate), then
# the end-to-end tests, against the PostgreSQL that scripts/database-url.sh finds or starts.
# The crates are the workspace members as `cargo metadata` lists them (a new member cannot be
# skipped), the end-to-end crate `e2e` last; arguments, if given, name crates to run instead.
# Ends with one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

TEST_DATABASE_URL=$(scripts/database-url.sh) || { echo "make test: no PostgreSQL"; exit 1; }
export TEST_DATABASE_URL

if [ $# -eq 0 ]; then
  members=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
names = sorted(p["name"] for p in json.load(sys.stdin)["packages"])
print(" ".join([n for n in names if n != "e2e"] + ["e2e"]))')
  set -- $members
fi

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
