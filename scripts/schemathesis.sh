#!/usr/bin/env bash
# Schemathesis against /api/v1/openapi.json of a throwaway `ruta serve`
# (fresh SQLite file, demo data, no sync throttle), once per role's token.
# Checks: no 5xx, and responses conform to the schema. Destructive calls
# are harmless on a throwaway server, except those that end the tokens in
# use (logout, token revocation, password reset): excluded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
examples=${SCHEMATHESIS_EXAMPLES:-15}
nice cargo build -q -p ruta --bin ruta
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
RUTA_DATABASE_URL="sqlite://$dir/ruta.db" RUTA_ADDR="127.0.0.1:$port" RUTA_SYNC_RATE=off \
  LEPTOS_SITE_ROOT="$dir/site" ./target/debug/ruta serve --demo >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$base/health" >/dev/null
status=0
for user in admin despacho ana; do
  token=$(curl -fs -H 'content-type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"ruta2026\"}" "$base/api/v1/auth/token/" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  echo "==> schemathesis as $user"
  .tools/schemathesis/bin/schemathesis run "$base/api/v1/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    -H "Authorization: Token $token" --max-examples "$examples" --workers 1 \
    --exclude-path /api/v1/auth/logout/ --exclude-path '/api/v1/tokens/{id}/' \
    --exclude-path '/api/v1/users/{id}/password/' \
    --request-timeout 20 --no-shrink || status=1
done
if grep -q 'panicked' "$dir/server.log"; then
  grep -m5 'panicked' "$dir/server.log"
  status=1
fi
exit "$status"
