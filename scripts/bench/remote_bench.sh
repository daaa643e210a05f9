#!/usr/bin/env bash
# The team-mode transfer benchmark of issue 11: builds arttui and arttui-server in release (own scratch
# path), starts a throwaway team stack (scripts/team-stack.sh), runs remote_bench.py against it and
# stops the stack. Arguments go to remote_bench.py, e.g.:
#   scripts/bench/remote_bench.sh --scale 0.2 --reps 1
# ARTTUI_BENCH_BIN_DIR=DIR uses the binaries in DIR instead of building; the ARTTUI_STACK_* settings of
# team-stack.sh choose ports and the stack's directory.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bin="${ARTTUI_BENCH_BIN_DIR:-}"
if [[ -z "$bin" ]]; then
    scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
    swift build -c release --scratch-path "$scratch" --product arttui >&2
    swift build -c release --scratch-path "$scratch" --product arttui-server >&2
    bin="$scratch/release"
fi
export ARTTUI_SERVER_BIN="$bin/arttui-server"
exec scripts/team-stack.sh run python3 "$root/scripts/bench/remote_bench.py" --arttui "$bin/arttui" "$@"
