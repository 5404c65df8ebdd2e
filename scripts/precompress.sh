#!/usr/bin/env bash
# Writes FILE.gz (zopfli: gzip format, ~5 % smaller than gzip -9) and FILE.br
# (brotli, quality 11) beside each FILE. The server sends these to browsers
# that accept them instead of compressing on the fly (leptos_axum's static
# files), so phones download the smallest encoding, and it costs nothing
# per request. Usage: precompress.sh FILE...
set -euo pipefail
for f in "$@"; do
  if command -v zopfli >/dev/null; then
    zopfli -c "$f" > "$f.gz"
  else
    gzip -9 -c "$f" > "$f.gz"
  fi
  node -e 'const fs = require("fs"), z = require("zlib"); const f = process.argv[1];
    fs.writeFileSync(f + ".br", z.brotliCompressSync(fs.readFileSync(f),
      { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }));' "$f"
done
