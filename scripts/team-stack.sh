#!/usr/bin/env bash
# A complete arttui team stack on loopback, in one command, for trying team mode on one machine and
# for the tests: a throwaway PostgreSQL 15 cluster, SeaweedFS as the S3 store, a master key file and
# `arttui-server`, all on 127.0.0.1.
#
#   scripts/team-stack.sh start        starts everything; prints, on stdout and nothing else, lines to eval:
#                                        export ARTTUI_SERVER_URL=http://127.0.0.1:PORT ARTTUI_TOKEN=<admin token>
#                                        (and the ARTTUI_DATABASE_URL / ARTTUI_S3_* / AWS_* the server uses)
#   scripts/team-stack.sh stop         stops everything `start` started, by process id, and removes its files
#   scripts/team-stack.sh run CMD...   start, run CMD with those variables set, stop (even if CMD fails);
#                                        exits with CMD's status
#
# Settings (environment): ARTTUI_STACK_DIR (default /tmp/arttui-stack), ARTTUI_STACK_PORT (server, 8080),
# ARTTUI_STACK_PG_PORT (55432), ARTTUI_STACK_S3_PORT (8333; SeaweedFS also takes the next 15 ports),
# ARTTUI_SERVER_BIN (default: the debug build, built with `swift build --product arttui-server` if missing).
# Needs root (PostgreSQL runs as the `postgres` user), Debian's postgresql-15, python3-venv and curl.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DIR=${ARTTUI_STACK_DIR:-/tmp/arttui-stack}
PORT=${ARTTUI_STACK_PORT:-8080}
PG_PORT=${ARTTUI_STACK_PG_PORT:-55432}
S3_PORT=${ARTTUI_STACK_S3_PORT:-8333}
BUCKET=arttui

die() { echo "team-stack.sh: $*" >&2; exit 1; }

server_bin() {
    if [ -n "${ARTTUI_SERVER_BIN:-}" ]; then echo "$ARTTUI_SERVER_BIN"; return; fi
    local bin="$ROOT/.build/debug/arttui-server"
    if [ ! -x "$bin" ]; then
        (cd "$ROOT" && swift build --product arttui-server >&2) || die "building arttui-server failed"
    fi
    echo "$bin"
}

start() {
    [ ! -e "$DIR/env" ] || die "a stack is already running in $DIR: run '$0 stop' first"
    [ -x "$HERE/services/postgres.sh" ] || die "missing $HERE/services/postgres.sh"
    [ -x "$HERE/services/s3.sh" ] || die "missing $HERE/services/s3.sh"
    local bin
    bin=$(server_bin)
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    # From here on, a failure stops what was started: on EXIT, since `die` ends the script with `exit`,
    # which an ERR trap does not see (a server that could not start left PostgreSQL and SeaweedFS running).
    trap 'stop >/dev/null 2>&1 || true' EXIT

    local pg
    # The stop on EXIT removes DIR, logs included: a service that did not start is named with its log's end.
    pg=$("$HERE/services/postgres.sh" start "$DIR/pg" "$PG_PORT") \
        || die "PostgreSQL did not start: $(tail -n 3 "$DIR/pg/server.log" 2>/dev/null | tr '\n' ' ')"
    echo "$pg" | head -n 1 >"$DIR/postgres.pid"
    local database_url
    database_url=$(echo "$pg" | sed -n 2p)

    local s3_exports
    s3_exports=$("$HERE/services/s3.sh" start "$DIR/s3" "$S3_PORT") \
        || die "SeaweedFS did not start: $(tail -n 3 "$DIR/s3/weed.log" 2>/dev/null | tr '\n' ' ')"
    eval "$s3_exports"
    export ARTTUI_S3_BUCKET=$BUCKET ARTTUI_DATABASE_URL=$database_url
    export ARTTUI_MASTER_KEY_FILE=$DIR/master.key
    export ARTTUI_S3_REGION=${ARTTUI_S3_REGION:-us-east-1}
    # The bucket, with a SigV4-signed PUT (curl signs it itself).
    curl -sf -X PUT --aws-sigv4 "aws:amz:$ARTTUI_S3_REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        "$ARTTUI_S3_ENDPOINT/$BUCKET" >/dev/null || die "cannot create bucket $BUCKET at $ARTTUI_S3_ENDPOINT"

    "$bin" admin key generate "$ARTTUI_MASTER_KEY_FILE" >/dev/null
    "$bin" migrate >&2
    local token
    token=$("$bin" admin user add admin --admin)

    nohup "$bin" serve --listen "127.0.0.1:$PORT" >"$DIR/server.log" 2>&1 &
    echo $! >"$DIR/server.pid"
    local url="http://127.0.0.1:$PORT"
    # Each probe is bounded: something else holding the port may accept and never answer.
    for _ in $(seq 1 100); do
        curl -sf -m 2 "$url/readyz" >/dev/null 2>&1 && break
        kill -0 "$(cat "$DIR/server.pid")" 2>/dev/null || die "arttui-server exited: $(tail -n 1 "$DIR/server.log")"
        sleep 0.1
    done
    curl -sf -m 2 "$url/readyz" >/dev/null || die "arttui-server is not ready after 10 s; see $DIR/server.log"

    {
        echo "$s3_exports"
        echo "export ARTTUI_S3_BUCKET=$BUCKET ARTTUI_DATABASE_URL=$database_url ARTTUI_MASTER_KEY_FILE=$ARTTUI_MASTER_KEY_FILE"
        echo "export ARTTUI_SERVER_URL=$url ARTTUI_TOKEN=$token"
    } >"$DIR/env"
    chmod 600 "$DIR/env"
    trap - EXIT
    cat "$DIR/env"
}

stop() {
    [ -d "$DIR" ] || die "no stack in $DIR"
    if [ -f "$DIR/server.pid" ]; then
        local pid
        pid=$(cat "$DIR/server.pid")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    [ ! -d "$DIR/s3" ] || "$HERE/services/s3.sh" stop "$DIR/s3" || true
    [ ! -d "$DIR/pg" ] || "$HERE/services/postgres.sh" stop "$DIR/pg" || true
    rm -rf "$DIR"
}

case ${1:-} in
start) start ;;
stop) stop ;;
run)
    shift
    [ $# -ge 1 ] || die "usage: $0 run CMD..."
    exports=$(start) || exit 1
    eval "$exports" || { stop; exit 1; }
    status=0
    "$@" || status=$?
    stop
    exit $status
    ;;
*) echo "usage: $0 start | stop | run CMD..." >&2; exit 2 ;;
esac
