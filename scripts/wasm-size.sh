#!/usr/bin/env bash
# The seller WASM's size budget (docs/wasm-size.md): fails when the phone
# bundle, compressed with `gzip -9`, is over WASM_BUDGET bytes (400,000).
#   wasm-size.sh [FILE]   FILE defaults to target/site/pkg/ruta.wasm, what
#                         `make build` (ruta-build release) writes
# `make test` runs it after the release build, before the e2e suite.
set -euo pipefail
# A FILE given is read from where the script was called, the default from
# the workspace root.
if [ $# -gt 0 ]; then wasm=$(realpath -m -- "$1"); fi
cd "$(dirname "$0")/.."
wasm=${wasm:-${LEPTOS_SITE_ROOT:-target/site}/pkg/ruta.wasm}
budget=${WASM_BUDGET:-400000}

# 1234567 → 1,234,567, the way BENCHMARKS.md writes sizes.
commas() { printf '%s' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\b/,&/' -e 'ta'; }

if [ ! -f "$wasm" ]; then
  echo "wasm-size: $wasm not found: build it first (make build)" >&2
  exit 2
fi
size=$(gzip -9 -c "$wasm" | wc -c)
size=$((size + 0))
raw=$(($(wc -c <"$wasm") + 0))
if [ "$size" -gt "$budget" ]; then
  echo "wasm-size: seller WASM $wasm is $(commas "$size") B gzip -9 ($(commas "$raw") B raw)," \
    "over the budget of $(commas "$budget") B by $(commas $((size - budget))) B." >&2
  echo "wasm-size: see docs/wasm-size.md: what keeps the bundle small, how to find what grew, and how to win the bytes back." >&2
  exit 1
fi
echo "wasm-size: seller WASM $(commas "$size") B gzip -9 ($(commas "$raw") B raw)," \
  "budget $(commas "$budget") B, $(commas $((budget - size))) B headroom (docs/wasm-size.md)"
