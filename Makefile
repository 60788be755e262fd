# Wizamart — the commands a newcomer needs. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Member crates with their own tests, run one by one so a failure names its crate.
CRATES := db teams auth tenancy web xtask

.PHONY: run test lint fmt db-url

## run: migrate, seed the demo data, start the server and print URLs and demo logins
run:
	@DATABASE_URL="$$(scripts/database-url.sh)" cargo xtask dev

## test: every crate's tests against a real PostgreSQL, then the end-to-end tests
test:
	@export TEST_DATABASE_URL="$$(scripts/database-url.sh)"; \
	started=$$(date +%s); \
	for crate in $(CRATES); do \
		echo "== cargo test -p $$crate"; \
		cargo test -p $$crate || { echo "FAILED in crate $$crate"; exit 1; }; \
	done; \
	echo "== end-to-end (tests/)"; \
	cargo test -p e2e || { echo "FAILED in the end-to-end tests"; exit 1; }; \
	echo "make test: all green in $$(( $$(date +%s) - started ))s"

## lint: formatting and clippy, warnings are errors
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

## db-url: print the database URL `make run` would use (starting a private cluster if needed)
db-url:
	@scripts/database-url.sh
