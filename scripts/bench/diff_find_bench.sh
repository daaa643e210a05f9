#!/usr/bin/env bash
# Builds arttui in release (scratch path .build-bench, as bench.sh) and runs the diff/find benchmark of
# issue 13. Arguments go to diff_find_bench.py, e.g.:
#   scripts/bench/diff_find_bench.sh                 # 100,000-file diff, 1,000,000-version find
#   scripts/bench/diff_find_bench.sh --versions 100000 --reps 5
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
if [[ "${ARTTUI_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --scratch-path "$scratch" --product arttui >&2
fi
exec python3 "$root/scripts/bench/diff_find_bench.py" --arttui "$scratch/release/arttui" "$@"
