#!/bin/sh
# Regenerates format1-store/: a small store written by the release whose catalog keeps digests as
# 64-character hex text (store format 1, main at 92fb0c8). CatalogUpgradeTests open copies of it
# with the current arttui and check the in-place upgrade to binary digests.
#
#   Tests/ArttuiEndToEndTests/Fixtures/make-format1-store.sh [ARTTUI_BINARY]
#
# Without an argument it builds arttui at 92fb0c8 in a temporary git worktree (a few minutes).
# The store holds: two projects, files in folders, a file of several chunks, several versions,
# aliases, metadata, a description, runs with lineage (producer and user), a reference entry
# (file:///tmp/arttui-format1-fixture/reference.txt, recreated by the tests), a deleted version
# and a pending version (put --upsert, never finished).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
commit=92fb0c8
if [ $# -ge 1 ]; then
    arttui=$1
else
    build=$(mktemp -d)
    git -C "$repo" worktree add --detach "$build/src" "$commit" >/dev/null
    (cd "$build/src" && swift build -j 1 --product arttui >/dev/null)
    arttui=$build/src/.build/debug/arttui
fi

work=$(mktemp -d)
store=$here/format1-store
rm -rf "$store"
export ARTTUI_STORE="$store" ARTTUI_CACHE_DIR="$work/cache"
tree=$work/tree
mkdir -p "$tree/images" "$tree/labels"
printf 'cat\n' > "$tree/labels/0.txt"
printf 'dog\n' > "$tree/labels/1.txt"
printf 'P5 2 2 255\n\001\002\003\004' > "$tree/images/0.pgm"
: > "$tree/empty.txt"
# Nine MiB of zeros: three chunks (4, 4 and 1 MiB) of which two are distinct; they compress to bytes.
head -c 9437184 /dev/zero > "$tree/zeros.bin"
"$arttui" put "$tree" -n vision/mnist -d "first cut" --metadata '{"acc": 0.91, "tags": ["a", "b"]}' >/dev/null

run=$("$arttui" run start -p vision --id train01 --name train --job-type train --config '{"lr": 0.01}')
printf 'bird\n' > "$tree/labels/2.txt"
"$arttui" use vision/mnist:v0 --run train01 >/dev/null
"$arttui" put "$tree" -n vision/mnist --run train01 -a best --metadata '{"acc": 0.95}' >/dev/null
"$arttui" run log train01 val_acc=0.95 >/dev/null
"$arttui" run finish train01 >/dev/null
printf 'weights v1\n' > "$work/model.bin"
"$arttui" put "$work/model.bin" -n vision/classifier -t model --run "$run" -a prod >/dev/null

rm "$tree/labels/0.txt"
"$arttui" put "$tree" -n vision/mnist -a staging >/dev/null
printf 'scratch\n' > "$work/scratch.txt"
"$arttui" put "$work/scratch.txt" -n vision/scratch >/dev/null
printf 'scratch 2\n' > "$work/scratch.txt"
"$arttui" put "$work/scratch.txt" -n vision/scratch >/dev/null
"$arttui" rm vision/scratch:v0 >/dev/null

mkdir -p /tmp/arttui-format1-fixture
printf 'reference payload\n' > /tmp/arttui-format1-fixture/reference.txt
"$arttui" put -n audio/refs --reference file:///tmp/arttui-format1-fixture/reference.txt >/dev/null

printf 'shard 0\n' > "$work/shard0.txt"
"$arttui" put "$work/shard0.txt" -n audio/shards --upsert --distributed-id job7 >/dev/null

"$arttui" verify >/dev/null
rm -rf "$store/tmp" "$store"/*-lock "$store/statcache.sqlite"
# One self-contained catalog file: the WAL folded in, as a copy in the repository must be.
sqlite3 "$store/catalog.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
rm -f "$store/catalog.sqlite-wal" "$store/catalog.sqlite-shm"
rm -rf "$work"
find "$store" -type f | sort
