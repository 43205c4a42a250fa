#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the tests, installing
# PostgreSQL from Debian's packages when it is missing.
#
#   eval "$(scripts/postgres.sh start DIR)"   # prints: export DOSSIER_TEST_POSTGRES_URL=...
#   scripts/postgres.sh restart DIR   # fast restart: every connection is dropped
#   scripts/postgres.sh stop DIR
set -euo pipefail

cmd=${1:?usage: postgres.sh start|restart|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}

find_bin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$b" ] && [ -x "$b/initdb" ]; then echo "$b"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_owner() {
  # initdb and postgres refuse to run as root: run them as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if ! bin=$(find_bin); then
      echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres >&2
    fi
    mkdir -p "$dir"
    rm -rf "$dir/pgdata"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/pgdata" -U dossier --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_owner "$bin/initdb" -D "$dir/pgdata" -U dossier --auth=trust --encoding=UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=100" start >&2 \
      || { cat "$dir/postgres.log" >&2; exit 1; }
    echo "export DOSSIER_TEST_POSTGRES_URL=postgres://dossier@127.0.0.1:$port/postgres"
    echo "export DOSSIER_TEST_POSTGRES_BIN=$bin"
    ;;
  restart)
    # A fast restart (the server drops every connection), for the restart test.
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -m fast -w -t 60 restart >&2
    ;;
  stop)
    bin=$(find_bin)
    [ -d "$dir/pgdata" ] && as_owner "$bin/pg_ctl" -D "$dir/pgdata" -m fast stop >&2 || true
    ;;
  *)
    echo "usage: postgres.sh start|restart|stop DIR" >&2; exit 2 ;;
esac
