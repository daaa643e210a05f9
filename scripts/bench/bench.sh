#!/usr/bin/env bash
# Builds arttui in release (own scratch path, so it does not contend with other builds' lock)
# and runs the benchmark of issue 5. Every argument goes to bench.py, e.g.:
#   scripts/bench/bench.sh --install-peers --json /tmp/bench.json
#   scripts/bench/bench.sh --scale 0.1 --reps 2
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib), as a release
# binary should be built: the dynamic loader then maps 39 libraries instead of 54 and binds 12,700
# symbols instead of 20,500, which is a third of the CPU of a put that finds nothing changed
# (BENCHMARKS.md, "Start-up"). ARTTUI_BENCH_DYNAMIC=1 builds the default, dynamically linked binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
if [[ "${ARTTUI_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    flags=()
    if [[ "${ARTTUI_BENCH_DYNAMIC:-0}" != 1 ]]; then
        flags=(--static-swift-stdlib)
        # The static FoundationNetworking links with -lcurl, which needs libcurl's development link
        # (libcurl4-openssl-dev). Without it, link against the runtime library through a link of our own.
        if ! ldconfig -p | grep -q 'libcurl\.so '; then
            runtime="$(ldconfig -p | awk '/libcurl\.so\.4 /{print $NF; exit}')"
            if [[ -z "$runtime" ]]; then
                echo "bench.sh: libcurl.so.4 not found; install libcurl4 (or set ARTTUI_BENCH_DYNAMIC=1)" >&2
                exit 2
            fi
            mkdir -p "$scratch/link-libraries"
            ln -sf "$runtime" "$scratch/link-libraries/libcurl.so"
            flags+=(-Xlinker -L"$root/$scratch/link-libraries")
        fi
    fi
    swift build -c release --scratch-path "$scratch" --product arttui "${flags[@]}" >&2
fi
exec python3 "$root/scripts/bench/bench.py" --arttui "$scratch/release/arttui" "$@"
