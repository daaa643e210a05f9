#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback, for team mode on one machine and for the tests.
#
#   scripts/services/postgres.sh start DIR PORT [--password-file FILE] [--database NAME]
#       Creates DIR (it must not hold a cluster yet), initialises a cluster in DIR/data owned by the
#       `postgres` user, starts it listening on 127.0.0.1:PORT only (Unix socket in DIR), creates the
#       database NAME (default `artifacts`) and prints two lines on stdout:
#           the postmaster's process id
#           the database URL, e.g. postgres://postgres@127.0.0.1:PORT/artifacts
#       With --password-file, the superuser `postgres` gets the password in FILE (first line) and TCP
#       logins need it (SCRAM-SHA-256); the printed URL never contains it. Without it, logins are trusted.
#       The cluster runs without fsync: throwaway data only. Logs: DIR/server.log.
#   scripts/services/postgres.sh stop DIR
#       Stops the cluster in DIR (pg_ctl fast shutdown; by the postmaster's process id if that fails)
#       and removes DIR.
#
# Needs Debian's postgresql-15 (binaries in /usr/lib/postgresql/15/bin) and root (the server runs as
# `postgres` through runuser); as the `postgres` user itself it runs the binaries directly.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
usage() { echo "usage: $0 start DIR PORT [--password-file FILE] [--database NAME] | stop DIR" >&2; exit 2; }
fail() { echo "postgres.sh: $*" >&2; exit 1; }
as_pg() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

[ $# -ge 2 ] || usage
cmd=$1
DIR=$2
shift 2
case $cmd in
start)
    [ $# -ge 1 ] || usage
    PORT=$1
    shift
    PASSWORD_FILE=""
    DATABASE=artifacts
    while [ $# -gt 0 ]; do
        case $1 in
        --password-file) [ $# -ge 2 ] || usage; PASSWORD_FILE=$2; shift 2 ;;
        --database) [ $# -ge 2 ] || usage; DATABASE=$2; shift 2 ;;
        *) usage ;;
        esac
    done
    [[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || fail "port \"$PORT\" is not a number from 1 to 65535"
    [ -x "$PGBIN/initdb" ] || fail "no $PGBIN/initdb: install Debian's postgresql-15"
    [ -z "$PASSWORD_FILE" ] || [ -r "$PASSWORD_FILE" ] || fail "cannot read password file $PASSWORD_FILE"
    [ ! -e "$DIR/data" ] || fail "$DIR/data exists already: stop that cluster first"
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    # The server runs as postgres: it must reach DIR through every parent (a mktemp -d is 0700).
    parent=$DIR
    while [ "$parent" != / ]; do
        parent=$(dirname "$parent")
        if ! as_pg test -x "$parent"; then chmod o+x "$parent"; fi
    done
    chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    auth=(-A trust)
    if [ -n "$PASSWORD_FILE" ]; then
        # initdb reads the password as postgres: hand it a private copy.
        install -m 600 -o postgres -g postgres <(head -n 1 "$PASSWORD_FILE") "$DIR/pwfile"
        auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$DIR/pwfile")
    fi
    as_pg "$PGBIN/initdb" -D "$DIR/data" "${auth[@]}" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$DIR/initdb.log" 2>&1 || fail "initdb failed; see $DIR/initdb.log"
    rm -f "$DIR/pwfile"
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || fail "the server did not start; see $DIR/server.log"
    # Over the socket: local logins are trusted even when TCP needs the password.
    as_pg "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U postgres "$DATABASE" || fail "createdb $DATABASE failed"
    head -n 1 "$DIR/data/postmaster.pid"
    echo "postgres://postgres@127.0.0.1:$PORT/$DATABASE"
    ;;
stop)
    [ $# -eq 0 ] || usage
    [ -d "$DIR" ] || fail "no directory $DIR"
    if [ -f "$DIR/data/postmaster.pid" ]; then
        pid=$(head -n 1 "$DIR/data/postmaster.pid")
        if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$DIR"
    ;;
*)
    usage ;;
esac
