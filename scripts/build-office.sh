#!/usr/bin/env bash
# Builds the office pages' browser bundle (dispatcher and admin pages:
# pkg/ruta-office.{js,wasm}) next to the seller bundle cargo-leptos made.
# Usage: build-office.sh release|dev [site-root]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
mode=${1:-release}
site=${2:-${LEPTOS_SITE_ROOT:-target/site}}
# Its own target dir: the same crate with other features would otherwise
# overwrite the seller bundle's wasm that cargo-leptos watches.
target=target/office
case "$mode" in
  release) profile=wasm-release ;;
  dev) profile=dev ;;
  *) echo "usage: $0 release|dev [site-root]" >&2; exit 2 ;;
esac
cargo build -p ruta-app --lib --target wasm32-unknown-unknown \
  --no-default-features --features office --profile "$profile" --target-dir "$target"
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
mkdir -p "$site/pkg"
wasm-bindgen --target web --out-name ruta-office --out-dir "$site/pkg" \
  "$target/wasm32-unknown-unknown/$profile_dir/ruta_app.wasm"
mv -f "$site/pkg/ruta-office_bg.wasm" "$site/pkg/ruta-office.wasm"
if [ "$mode" = release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$site/pkg/ruta-office.wasm" -o "$site/pkg/ruta-office.wasm"
fi
echo "office bundle: $(gzip -9c "$site/pkg/ruta-office.wasm" | wc -c) bytes gzipped"
