# Wizamart — the commands a newcomer needs. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

.PHONY: run test bench lint schema fmt db-url

## run: migrate, seed the demo data, start the server and print URLs and demo logins
run:
	@DATABASE_URL="$$(scripts/database-url.sh)" cargo xtask dev

## test: every crate's tests against a real PostgreSQL, then the end-to-end tests
test:
	@scripts/test.sh

## bench: load the release server with wrk and write docs/benchmarks.md
bench:
	@scripts/bench.sh

## lint: formatting, clippy (warnings are errors), and schema.rs against the migrations
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	scripts/check-schema.sh

## schema: regenerate crates/db/src/schema.rs from the migrations
schema:
	scripts/check-schema.sh --write

fmt:
	cargo fmt --all

## db-url: print the database URL `make run` would use (starting a private cluster if needed)
db-url:
	@scripts/database-url.sh
