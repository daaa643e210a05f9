#!/usr/bin/env bash
# Fuzz arttui's parsers (addresses, project scopes, sizes, metadata, manifest paths, pack record
# headers) with libFuzzer for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]      default 60; the long mode of the reliability tests uses 300
#
# Crashing inputs are saved under .build/fuzz/crashes; add each as a regression test before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
mkdir -p "$out/corpus" "$out/crashes"
sources=(Sources/ArtifactStore/Model/*.swift Sources/ArtifactStore/Ingest/ManifestPath.swift
         Sources/ArtifactStore/Storage/PackRecord.swift)
if [ ! -x "$out/parser-fuzzer" ] || [ -n "$(find "${sources[@]}" scripts/fuzz -newer "$out/parser-fuzzer")" ]; then
    swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ArtifactStore \
        "${sources[@]}" scripts/fuzz/ParserFuzzer.swift -o "$out/parser-fuzzer" 2>&1 | grep -v "Cannot export local symbol" || true
fi
# Seeds: one valid input per parser, so the fuzzer starts from the accepted shapes.
printf '\x00vision/mnist:v3' > "$out/corpus/address"
printf '\x01vision/mnist' > "$out/corpus/scope"
printf '\x021.5 GiB' > "$out/corpus/size"
printf '\x03{"lr": 0.1, "tags": ["a", NaN], "n": {"x": null}}' > "$out/corpus/metadata"
printf '\x04data/train/part-0001.bin' > "$out/corpus/path"
printf '\x05ARTC\x01\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00\x0000000000000000000000000000000000' > "$out/corpus/header"
"$out/parser-fuzzer" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 2>&1 | grep -E "^#|stat::number_of_executed_units|ERROR|SUMMARY|Done" | tail -5
