#!/usr/bin/env bash
# Builds arttui in release (own scratch path, so it does not contend with other builds' lock)
# and runs the benchmark of issue 5. Every argument goes to bench.py, e.g.:
#   scripts/bench/bench.sh --install-peers --json /tmp/bench.json
#   scripts/bench/bench.sh --scale 0.1 --reps 2
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib), as a release
# binary should be built: the dynamic loader then maps fewer libraries and binds fewer symbols, which
# was a third of the CPU of a put that finds nothing changed (BENCHMARKS.md, "Start-up"). libcurl is not
# linked (HTTPTransport loads it at run time), so no development package is needed.
# ARTTUI_BENCH_DYNAMIC=1 builds the default, dynamically linked binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scratch="${ARTTUI_BENCH_SCRATCH:-.build-bench}"
if [[ "${ARTTUI_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    flags=()
    if [[ "${ARTTUI_BENCH_DYNAMIC:-0}" != 1 ]]; then
        flags=(--static-swift-stdlib)
    fi
    swift build -c release --scratch-path "$scratch" --product arttui "${flags[@]}" >&2
fi
# The release binary takes these from their static archives (Sources/arttui/StaticLinking): one of them
# loaded as a shared library means the linker did not find the scripts there, and every command pays
# its loading again (BENCHMARKS.md, "startup-2").
if command -v readelf > /dev/null; then
    shared=$(readelf -d "$scratch/release/arttui" | grep -oE 'lib(sqlite3|zstd|ncursesw|tinfo)\.so[^]]*' || true)
    if [[ -n "$shared" ]]; then
        echo "bench.sh: the release arttui loads $(echo $shared | tr '\n' ' ')as shared libraries; see Sources/arttui/StaticLinking/README.md" >&2
        exit 1
    fi
fi
exec python3 "$root/scripts/bench/bench.py" --arttui "$scratch/release/arttui" "$@"
