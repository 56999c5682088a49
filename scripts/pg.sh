#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (Debian's postgresql package) for the sync endpoint's tests and
# benchmark: `scripts/pg.sh start` starts it on 127.0.0.1:${PGPORT:-55432} and prints its URL;
# `scripts/pg.sh stop` stops it.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=${PGDIR:-/tmp/dangan-pg}
PORT=${PGPORT:-55432}
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# PostgreSQL refuses to run as root: as root, run it as the postgres user the package created.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    if as_pg "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then echo "$URL"; exit 0; fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    as_pg "$PGBIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    echo "$URL"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop" >&2
    exit 2
    ;;
esac
