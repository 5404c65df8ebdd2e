# Ruta — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export RUTA_TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export LEPTOS_SITE_ROOT ?= target/site
# glibc otherwise raises its mmap threshold after argon2's 19 MiB buffers are
# freed and then keeps them on the heap: ~190 MB RSS instead of ~25 MB
# (measured, BENCHMARKS.md).

.PHONY: run test bench tools build lint unit e2e fuzz fuzz-quick schemathesis deploy-check

tools:
	@bash scripts/install-tools.sh

# Everything the release build reads. When none of it is newer than the
# last build's stamp, `build` does nothing: cargo-leptos would otherwise run
# wasm-bindgen and wasm-opt again, and the bundles would be recompressed,
# about 80 s before a second `make run` could start. `make -B build` (or
# deleting the site folder) forces a build.
BUILD_INPUTS := $(shell find app shared server style public vendor scripts -type f) \
	Cargo.toml Cargo.lock Makefile .cargo/config.toml
BUILD_STAMP := $(LEPTOS_SITE_ROOT)/.release-build

build: tools
	@[ -x target/release/ruta ] || rm -f $(BUILD_STAMP)
	@$(MAKE) --no-print-directory $(BUILD_STAMP)

# The server, then the seller bundle with the size flags of
# scripts/wasm-release-env.sh (the frontend build clears the site folder,
# so the office bundle comes last). Each bundle is then precompressed
# (scripts/precompress.sh).
$(BUILD_STAMP): $(BUILD_INPUTS)
	cargo leptos build --release --server-only
	source scripts/wasm-release-env.sh && cargo leptos build --release --frontend-only \
	  $$(printf -- '--lib-cargo-args=%s ' "$${WASM_RELEASE_CARGO_ARGS[@]}")
	bash scripts/precompress.sh $(LEPTOS_SITE_ROOT)/pkg/ruta.{wasm,js,css}
	bash scripts/build-office.sh release
	touch $@

## Builds in release, starts the server on SQLite with demo data.
run: build
	@mkdir -p data
	RUTA_DATABASE_URL=sqlite://data/ruta.db RUTA_ADDR=127.0.0.1:3000 \
	  MALLOC_MMAP_THRESHOLD_=131072 ./target/release/ruta serve --demo

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p ruta-app --features ssr -- -D warnings
	cargo clippy -p ruta-app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p ruta-app --features office --target wasm32-unknown-unknown -- -D warnings

## Unit and integration tests (SQLite and PostgreSQL).
unit:
	@bash scripts/ensure-postgres.sh
	cargo test --workspace

e2e: build
	@if [ -f end2end/package.json ]; then cd end2end && npx playwright test; \
	 else echo "no end2end suite"; fi

## The deployment kit in deploy/: systemd-analyze verify, nginx -t, the
## example config parsed by the binary (scripts/check-deploy.sh).
deploy-check: tools
	@bash scripts/check-deploy.sh

## Fuzzing (fuzz/, scripts/fuzz.sh): every target FUZZ_SECONDS (300) each;
## `make test` runs them 10 s each.
fuzz: tools
	@bash scripts/fuzz.sh

fuzz-quick: tools
	@FUZZ_SECONDS=10 bash scripts/fuzz.sh

## Schemathesis against a throwaway `ruta serve` (scripts/schemathesis.sh).
## Not yet part of `test`: the OpenAPI document lacks path parameters,
## request bodies and response schemas, so 20 operations are schema errors.
schemathesis: tools
	@bash scripts/schemathesis.sh

## Everything: lint, unit + integration on both databases, fuzzing
## (10 s per target), end-to-end.
test: tools lint unit deploy-check fuzz-quick e2e

bench: build
	@bash scripts/ensure-postgres.sh
	cargo run --release -p ruta-bench -- all
	node bench/pwa/pwa-bench.js
