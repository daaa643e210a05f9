#!/usr/bin/env bash
# The team server's benchmark (issue 10), in one run on loopback: builds arttui-server and the
# benchmark's own upload client (ServerBenchmark) in release (scratch path .build-bench), then runs
# server_bench.py, which starts a throwaway team stack (scripts/team-stack.sh), measures, prints the
# ratios and stops the stack. Every argument goes to server_bench.py, e.g.:
#   scripts/bench/server_bench.sh                 # the 500 MiB mixed data set
#   scripts/bench/server_bench.sh --scale 0.1     # a tenth of it, for a quick look
# Needs what team-stack.sh needs (root, postgresql-15, python3-venv, curl) and wrk.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
if [[ "${ARTTUI_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --scratch-path "$scratch" --product arttui-server >&2
    swift build -c release --scratch-path "$scratch" --product ServerBenchmark >&2
fi
exec python3 "$root/scripts/bench/server_bench.py" \
    --server-bin "$scratch/release/arttui-server" --client-bin "$scratch/release/ServerBenchmark" "$@"
