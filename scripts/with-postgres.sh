#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15+ server on loopback, exported as DATABASE_URL (and
# AMPARO_TEST_PG_* for tests that restart it).
# The server lives in a temporary directory and is stopped and deleted when the command ends.
# Usage: scripts/with-postgres.sh <command> [args...]
# AMPARO_PG_OPTIONS overrides the server options (default "-c fsync=off", fine for throwaway data).
set -euo pipefail

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && echo "$dir"
  done | sort -V | tail -n 1
}

PG_BIN=$(find_pg_bin || true)
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(find_pg_bin)
  else
    echo "with-postgres: no PostgreSQL server found (install Debian's postgresql package)" >&2
    exit 3
  fi
fi

PORT=${AMPARO_TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
DIR=$(mktemp -d /tmp/amparo-pg.XXXXXX)
mkdir -p "$DIR/data" "$DIR/sock"
RUN=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown -R postgres "$DIR"
  RUN=(runuser -u postgres --)
fi
chmod 700 "$DIR/data"

cleanup() {
  "${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN[@]}" "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/sock/pg.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR/sock ${AMPARO_PG_OPTIONS--c fsync=off}" start >/dev/null
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# For tests that stop and restart this server (test/support/postgres-control.ts).
export AMPARO_TEST_PG_CTL="$PG_BIN/pg_ctl" AMPARO_TEST_PG_DATA="$DIR/data" AMPARO_TEST_PG_LOG="$DIR/sock/pg.log"
export AMPARO_TEST_PG_USER=${RUN:+postgres}
"$@"
