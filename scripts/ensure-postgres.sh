#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth
# for user postgres (the integration tests create and drop their own
# databases there). Installs Debian's PostgreSQL if there is none.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ready; then exit 0; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "==> installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi

version=$(ls /etc/postgresql | sort -n | tail -1)
conf=/etc/postgresql/$version/main
# Trust local TCP connections (a throwaway test server on loopback only).
if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
fi
echo "==> starting PostgreSQL $version"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 60); do
  if ready; then exit 0; fi
  sleep 0.5
done
echo "PostgreSQL did not start" >&2
exit 1
