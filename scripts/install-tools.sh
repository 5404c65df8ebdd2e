#!/usr/bin/env bash
# Installs what Ruta needs, and only what is missing: quick (seconds) when
# everything is already there. Idempotent.
#   install-tools.sh build   what `make build` / `make run` / `make dev` need
#   install-tools.sh test    that, plus what `make test` / `make bench` need
#                            (Chromium, Playwright, zopfli)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
set_name=${1:-test}
case "$set_name" in
  build|test) ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The release WASM rebuilds the standard library for size
# (scripts/wasm-release-env.sh), which needs its sources.
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

# No cargo-leptos and no wasm-bindgen-cli: the `ruta-build` crate (build/)
# does their work, wasm-bindgen included (as a library pinned to the
# lockfile's version), and cargo builds it with the rest.

# wasm-opt from npm's binaryen: Debian's binaryen 108 produces wasm that
# fails to hydrate in Chromium. esbuild minifies the seller JS (what
# cargo-leptos did with swc). Both are prebuilt binaries in npm packages:
# seconds to install.
if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q 'version 132' \
  || ! .tools/node_modules/.bin/esbuild --version 2>/dev/null | grep -qx '0.28.2'; then
  say "installing wasm-opt (npm binaryen 132) and esbuild 0.28.2"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --loglevel=error \
    binaryen@132.0.0 esbuild@0.28.2
fi

[ "$set_name" = build ] && exit 0

# cargo-fuzz (make fuzz): 0.13.1 installs on rustc 1.95 with --locked.
if ! cargo fuzz --version 2>/dev/null | grep -q '^cargo-fuzz 0\.13\.1$'; then
  say "installing cargo-fuzz 0.13.1 (about 3 minutes)"
  cargo install cargo-fuzz --version 0.13.1 --locked
fi

# Schemathesis (scripts/schemathesis.sh), pinned, in its own venv.
if ! .tools/schemathesis/bin/schemathesis --version 2>/dev/null | grep -q '4\.32\.5'; then
  say "installing schemathesis 4.32.5 into .tools/schemathesis"
  mkdir -p .tools
  python3 -m venv .tools/schemathesis
  .tools/schemathesis/bin/pip install --quiet --disable-pip-version-check schemathesis==4.32.5
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

# certutil (libnss3-tools): end2end/tests/https.spec.ts gives its Chromium
# an NSS database that trusts the test's own CA.
if ! command -v certutil >/dev/null; then
  say "installing certutil (libnss3-tools)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnss3-tools
fi

# zopfli: the release bundles' .gz files, ~5 % smaller than gzip -9
# (scripts/precompress.sh falls back to gzip -9 without it, so `make run`
# does not need it; the size figures in BENCHMARKS.md do).
if ! command -v zopfli >/dev/null; then
  say "installing zopfli"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zopfli
fi

# nginx: the deployment kit's checks (scripts/check-deploy.sh) and the
# test through a real proxy (server/tests/api/behind_nginx.rs); caddy for
# `caddy validate` of deploy/Caddyfile. Both run only as throwaway processes
# of the tests. RUNLEVEL=1 asks invoke-rc.d not to start the packages'
# services (here policy-rc.d denied it anyway); on a host run by systemd
# they may still start on 80/443, which the tests do not use.
for tool in nginx caddy; do
  if ! command -v "$tool" >/dev/null; then
    say "installing $tool"
    apt-get update -qq
    RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool"
  fi
done

if [ -f end2end/package.json ] && [ ! -d end2end/node_modules/@playwright/test ]; then
  say "installing Playwright (no browser download: the machine's Chromium is used)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
