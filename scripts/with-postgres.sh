#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on loopback:
#   scripts/with-postgres.sh cargo test -p fixdesk-tests
# The cluster lives in a temporary directory, listens on 127.0.0.1 only, and is stopped and
# removed when the command ends. The command sees FIXDESK_TEST_DATABASE_URL.
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "with-postgres: installing PostgreSQL" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

dir=$(mktemp -d)
port=${FIXDESK_PG_PORT:-55433}
# initdb refuses to run as root: run the server as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi

stop() {
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
echo "with-postgres: $("$pgbin/postgres" --version) on 127.0.0.1:$port" >&2

FIXDESK_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
