# Ruta — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export RUTA_TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export LEPTOS_SITE_ROOT ?= target/site
# glibc otherwise raises its mmap threshold after argon2's 19 MiB buffers are
# freed and then keeps them on the heap: ~190 MB RSS instead of ~25 MB
# (measured, BENCHMARKS.md).

.PHONY: run dev test bench tools build-tools build lint unit e2e fuzz fuzz-quick schemathesis schemathesis-quick deploy-check vendor-check wasm-size

# What building and running needs (rust targets, wasm-opt, esbuild), and
# what testing adds (Chromium, Playwright, zopfli).
build-tools:
	@bash scripts/install-tools.sh build
tools:
	@bash scripts/install-tools.sh test

# Everything the release build reads. When none of it is newer than the
# last build's stamp, `build` does nothing: wasm-bindgen and wasm-opt would
# otherwise run again and the bundles be recompressed, about 80 s before a
# second `make run` could start. `make -B build` (or
# deleting the site folder) forces a build.
BUILD_INPUTS := $(shell find app shared server style public vendor scripts build -type f) \
	Cargo.toml Cargo.lock Makefile .cargo/config.toml rust-toolchain.toml
BUILD_STAMP := $(LEPTOS_SITE_ROOT)/.release-build

# Leptos's renderer and server-function streams are patched copies in
# vendor/; a patch that no longer applies (a Leptos upgrade, a vendored
# file edited) stops the build here rather than quietly growing the WASM
# (scripts/vendor-check.sh, vendor/README.md).
vendor-check:
	@bash scripts/vendor-check.sh

build: build-tools vendor-check
	@[ -x target/release/ruta ] || rm -f $(BUILD_STAMP)
	@$(MAKE) --no-print-directory $(BUILD_STAMP)

# build/ (`ruta-build`, in place of cargo-leptos): the server, and at the
# same time the seller and office bundles with the size flags of
# scripts/wasm-release-env.sh, wasm-bindgen, wasm-opt, the CSS, public/,
# each bundle precompressed (scripts/precompress.sh). It prints each
# step's time.
$(BUILD_STAMP): $(BUILD_INPUTS)
	cargo build -p ruta-build
	./target/debug/ruta-build release
	touch $@

## Builds in release, starts the server on SQLite with demo data.
run: build
	@mkdir -p data
	RUTA_DATABASE_URL=sqlite://data/ruta.db RUTA_ADDR=127.0.0.1:3000 \
	  MALLOC_MMAP_THRESHOLD_=131072 ./target/release/ruta serve --demo

## Debug build (no wasm-opt, no precompression), serves it, and rebuilds
## and restarts on a change in the sources when inotifywait is there.
dev: build-tools vendor-check
	@bash scripts/dev.sh

lint: vendor-check
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p ruta-app --features ssr -- -D warnings
	cargo clippy -p ruta-app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p ruta-app --features office --target wasm32-unknown-unknown -- -D warnings

## Unit and integration tests (SQLite and PostgreSQL).
unit:
	@bash scripts/ensure-postgres.sh
	cargo test --workspace

## The seller WASM's budget: 400,000 bytes `gzip -9` (docs/wasm-size.md),
## checked on the release build that e2e and `make run` use.
wasm-size: build
	@bash scripts/wasm-size.sh $(LEPTOS_SITE_ROOT)/pkg/ruta.wasm

e2e: tools build
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

## Schemathesis against a throwaway `ruta serve` (scripts/schemathesis.sh),
## once per role's token: no 5xx, every answer as the OpenAPI document
## says. SCHEMATHESIS_EXAMPLES (15) cases per operation; `make test` runs 10.
schemathesis: tools
	@bash scripts/schemathesis.sh

schemathesis-quick: tools
	@SCHEMATHESIS_EXAMPLES=10 bash scripts/schemathesis.sh

## Everything: lint, unit + integration on both databases, fuzzing
## (10 s per target), schemathesis, the seller WASM's size, end-to-end.
test: tools lint unit deploy-check fuzz-quick schemathesis-quick wasm-size e2e

bench: tools build
	@bash scripts/ensure-postgres.sh
	cargo run --release -p ruta-bench -- all
	node bench/pwa/pwa-bench.js
