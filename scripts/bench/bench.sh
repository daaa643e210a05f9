#!/usr/bin/env bash
# Builds arttui in release (own scratch path, so it does not contend with other builds' lock)
# and runs the benchmark of issue 5. Every argument goes to bench.py, e.g.:
#   scripts/bench/bench.sh --install-peers --json /tmp/bench.json
#   scripts/bench/bench.sh --scale 0.1 --reps 2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
if [[ "${ARTTUI_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --scratch-path "$scratch" --product arttui >&2
fi
exec python3 "$root/scripts/bench/bench.py" --arttui "$scratch/release/arttui" "$@"
