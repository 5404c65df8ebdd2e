#!/usr/bin/env bash
# `make dev`: the debug build of the server and both bundles (ruta-build
# dev: no wasm-opt, no minifying, no precompression), served on
# 127.0.0.1:3000 with demo data. With inotifywait (apt-get install
# inotify-tools) it rebuilds and restarts on each change under the
# sources; without it, stop with Ctrl-C and run `make dev` again.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site}
watched=(app shared server style public vendor build Cargo.toml Cargo.lock)
server=

stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap 'stop; exit 0' INT TERM

build_and_start() {
  # Chained: in `build_and_start || …` below, set -e does not stop a failed
  # step.
  cargo build -p ruta-build && ./target/debug/ruta-build dev || return 1
  mkdir -p data
  RUTA_DATABASE_URL=${RUTA_DATABASE_URL:-sqlite://data/ruta.db} \
    RUTA_ADDR=${RUTA_ADDR:-127.0.0.1:3000} \
    MALLOC_MMAP_THRESHOLD_=131072 ./target/debug/ruta serve --demo &
  server=$!
}

if ! command -v inotifywait >/dev/null; then
  echo "dev: no inotifywait: building once (apt-get install inotify-tools to rebuild on change)"
  build_and_start
  wait "$server"
  exit
fi

while true; do
  # A failed build keeps the loop: fix the code, save, and it goes again.
  build_and_start || echo "dev: build failed; waiting for a change"
  inotifywait -qq -r -e close_write,create,delete,move "${watched[@]}"
  stop
done
