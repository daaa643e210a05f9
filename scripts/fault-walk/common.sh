# Shared settings of the fault walk (sourced by each scenario). See README.md beside this file.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WALK=${FAULT_WALK_DIR:-/tmp/arttui-fault-walk}
export ARTTUI_STACK_DIR=$WALK/stack
export ARTTUI_STACK_PORT=${ARTTUI_STACK_PORT:-36620} ARTTUI_STACK_PG_PORT=${ARTTUI_STACK_PG_PORT:-36621}
export ARTTUI_STACK_S3_PORT=${ARTTUI_STACK_S3_PORT:-36630}
SECOND_PORT=${FAULT_WALK_SECOND_PORT:-36650}
BIN=${FAULT_WALK_BIN:-$ROOT/.build/debug}
export ARTTUI_SERVER_BIN=$BIN/arttui-server
URL=http://127.0.0.1:$ARTTUI_STACK_PORT
URL2=http://127.0.0.1:$SECOND_PORT
W=$WALK/work
stack_env() { set -a; . "$ARTTUI_STACK_DIR/env"; set +a; }
# as USER CMD...: CMD as USER, on a HOME and XDG directories of its own, with the token `login` stored.
as() {
    local u=$1; shift
    env -u ARTTUI_TOKEN HOME=$WALK/home-$u XDG_CONFIG_HOME=$WALK/home-$u/config XDG_CACHE_HOME=$WALK/home-$u/cache \
        XDG_DATA_HOME=$WALK/home-$u/data "$@"
}
metric() { curl -s "$URL/metrics" | awk -v m="$1" '$1==m {print $2}'; }
server_pid() { cat "$ARTTUI_STACK_DIR/server.pid"; }
# start_server PORT PIDFILE: an arttui-server on the stack's services, until /readyz says ready.
start_server() {
    local port=${1:-$ARTTUI_STACK_PORT} pidfile=${2:-$ARTTUI_STACK_DIR/server.pid}
    nohup "$BIN/arttui-server" serve --listen "127.0.0.1:$port" >>"$ARTTUI_STACK_DIR/server-$port.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do curl -sf -m 2 "http://127.0.0.1:$port/readyz" >/dev/null && return 0; sleep 0.1; done
    echo "server on $port not ready" >&2; return 1
}
kill_server() { kill -KILL "$(server_pid)"; sleep 0.2; }
now() { date +%s.%N; }
