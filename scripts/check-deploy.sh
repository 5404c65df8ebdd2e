#!/usr/bin/env bash
# Checks the deployment kit in deploy/ (make deploy-check, part of make test):
#   1. systemd-analyze verify on both units,
#   2. nginx -t on both nginx site files (and caddy validate on the Caddyfile
#      when caddy is installed),
#   3. the real binary parses deploy/ruta.toml.example with every setting
#      uncommented.
# The end-to-end check through nginx is an integration test:
# server/tests/api/behind_nginx.rs (cargo test, in make unit).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }
fail() { printf 'check-deploy: %s\n' "$*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A binary to point ExecStart at and to parse the example config with.
bin=""
for b in target/release/ruta target/debug/ruta; do
  if [ -x "$b" ]; then bin="$PWD/$b"; break; fi
done
if [ -z "$bin" ]; then
  say "building target/debug/ruta"
  cargo build -q -p ruta --bin ruta
  bin="$PWD/target/debug/ruta"
fi

# 1. systemd. `systemd-analyze verify` fails when ExecStart's binary does not
# exist, and /usr/local/bin/ruta is not installed on a build machine: verify
# a copy whose ExecStart names the binary just built, nothing else changed.
# Unknown keys are only warnings (exit 0), so any output is a failure too.
command -v systemd-analyze >/dev/null || fail "systemd-analyze missing (apt-get install systemd)"
mkdir -p "$tmp/units"
for unit in ruta.service ruta@.service; do
  sed "s#^ExecStart=/usr/local/bin/ruta #ExecStart=$bin #" "deploy/$unit" > "$tmp/units/$unit"
  grep -q "^ExecStart=$bin serve$" "$tmp/units/$unit" || fail "$unit: ExecStart not rewritten"
done
for unit in ruta.service ruta@3000.service; do
  out=$(systemd-analyze verify "$tmp/units/$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
  [ -z "$out" ] || fail "systemd-analyze verify $unit warned: $out"
  say "systemd-analyze verify deploy/${unit/3000/}: ok"
done

# 2. nginx. A throwaway prefix with a self-signed certificate where the site
# files expect certbot's, and a minimal nginx.conf that includes the site
# file inside http {} as Debian's does.
command -v nginx >/dev/null || fail "nginx missing (make tools installs it)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ruta.example.com \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null
for site in ruta.conf ruta-multi.conf; do
  sed -e "s#/etc/letsencrypt/live/ruta.example.com/#$tmp/#" -e "s#/var/log/nginx/#$tmp/#" \
    "deploy/nginx/$site" > "$tmp/$site"
  cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    access_log off;
    include $tmp/$site;
}
CONF
  out=$(nginx -t -q -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" 2>&1) \
    || fail "nginx -t deploy/nginx/$site: $out"
  say "nginx -t deploy/nginx/$site: ok"
done

if command -v caddy >/dev/null; then
  sed "s#/etc/ruta/tls/#$tmp/#g" deploy/Caddyfile > "$tmp/Caddyfile"
  out=$(caddy validate --adapter caddyfile --config "$tmp/Caddyfile" 2>&1) \
    || fail "caddy validate deploy/Caddyfile: $out"
  say "caddy validate deploy/Caddyfile: ok"
else
  say "caddy not installed: deploy/Caddyfile not validated"
fi

# 3. ruta.toml.example. Every "#key = value" line uncommented, then parsed by
# `ruta migrate` (which loads the configuration, then opens the database —
# a throwaway SQLite file here). Every key must be known to this build:
# an unknown key makes ruta refuse to start, so it fails here.
sed -n 's/^#\([a-z_]\+ = \)/\1/p' deploy/ruta.toml.example > "$tmp/ruta.toml"
[ "$(wc -l < "$tmp/ruta.toml")" -ge 8 ] || fail "ruta.toml.example: settings not found"
# tls_cert/tls_key name files that must exist.
sed -i "s#\"/etc/ruta/tls/#\"$tmp/#" "$tmp/ruta.toml"
out=$(RUTA_CONFIG="$tmp/ruta.toml" RUTA_DATABASE_URL="sqlite://$tmp/check.db" \
      RUTA_LOG_DIR="$tmp/log" "$bin" migrate 2>&1) \
  || fail "deploy/ruta.toml.example does not load: $out"
say "deploy/ruta.toml.example parses ($(wc -l < "$tmp/ruta.toml") settings)"
