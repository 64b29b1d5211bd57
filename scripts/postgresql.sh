#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the store tests (Debian package).
# Usage: eval "$(./scripts/postgresql.sh start)"   then   ./scripts/tests.sh
#        ./scripts/postgresql.sh stop
# It prints the line that sets CARTOGRAPHIE_TEST_POSTGRES; the tests use that server.
set -euo pipefail
PORT="${CARTOGRAPHIE_PG_PORT:-54329}"
DATA="${CARTOGRAPHIE_PG_DATA:-/tmp/cartographie-postgresql}"

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "${1:-}" in
start)
    if [ -z "$(pg_bin)" ]; then
        echo "Installation de PostgreSQL (paquet Debian)…" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    BIN="$(pg_bin)"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"
        mkdir -p "$DATA"
        chown postgres:postgres "$DATA"
        su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DATA' -A trust -U postgres -E UTF8" >/dev/null
    fi
    if ! su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
        su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/serveur.log' -w \
            -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1' start" >&2
    fi
    echo "export CARTOGRAPHIE_TEST_POSTGRES=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
stop)
    BIN="$(pg_bin)"
    [ -n "$BIN" ] && su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DATA' -m fast stop" >&2 || true
    ;;
*)
    echo "Usage : $0 start|stop" >&2
    exit 2
    ;;
esac
