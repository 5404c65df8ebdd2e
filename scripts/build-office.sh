#!/usr/bin/env bash
# Builds the office pages' browser bundle (dispatcher and admin pages:
# office/ruta-office.{js,wasm}) beside the seller bundle cargo-leptos made
# in pkg/ (which cargo-leptos clears of files it did not make).
# Usage: build-office.sh release|dev [site-root]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
mode=${1:-release}
site=${2:-${LEPTOS_SITE_ROOT:-target/site}}
# Its own target dir: the same crate with other features would otherwise
# overwrite the seller bundle's wasm that cargo-leptos watches.
target=target/office
extra=()
case "$mode" in
  release)
    profile=wasm-release
    source scripts/wasm-release-env.sh
    extra=("${WASM_RELEASE_CARGO_ARGS[@]}")
    ;;
  dev) profile=dev ;;
  *) echo "usage: $0 release|dev [site-root]" >&2; exit 2 ;;
esac
cargo build -p ruta-app --lib --target wasm32-unknown-unknown \
  --no-default-features --features office --profile "$profile" --target-dir "$target" \
  "${extra[@]}"
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
out="$site/office"
mkdir -p "$out"
# The server prefers a .br or .gz beside a file: never leave stale ones.
rm -f "$out"/*.br "$out"/*.gz
wasm-bindgen --target web --out-name ruta-office --out-dir "$out" \
  "$target/wasm32-unknown-unknown/$profile_dir/ruta_app.wasm"
mv -f "$out/ruta-office_bg.wasm" "$out/ruta-office.wasm"
if [ "$mode" = release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/ruta-office.wasm" -o "$out/ruta-office.wasm"
  bash scripts/precompress.sh "$out/ruta-office.wasm" "$out/ruta-office.js"
fi
echo "office bundle: $(gzip -9c "$out/ruta-office.wasm" | wc -c) bytes gzipped"
