#!/usr/bin/env bash
# Catalog format before/after (issue 15): the same tree of many tiny files put by two arttui binaries,
# with catalog size, peak RSS and wall time of put, unchanged put, ls, show, get, and the in-place
# upgrade of the older binary's store by the newer one.
#
#   scripts/bench/catalog_format.sh OLD_ARTTUI NEW_ARTTUI TREE [WORKDIR]
#
# TREE is a directory of files (the issue's case: 100,000 files of 32-480 random bytes). Times are
# one run each after a warm-up `find` of the tree; RSS is GNU time's %M (ru_maxrss).
set -euo pipefail
old=$1 new=$2 tree=$3 work=${4:-/tmp/arttui-catalog-format}
rm -rf "$work" && mkdir -p "$work"
measure() { # label, command...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    read -r seconds kib < "$work/time"
    printf '%-28s %8.3f s %8.1f MiB\n' "$label" "$seconds" "$(echo "$kib / 1024" | bc -l)"
}
size() { # store
    local bytes=0
    for f in "$1"/catalog.sqlite "$1"/catalog.sqlite-wal; do [[ -f $f ]] && bytes=$((bytes + $(stat -c %s "$f"))); done
    printf '%-28s %8.1f MiB (%d bytes)\n' "catalog" "$(echo "$bytes / 1048576" | bc -l)" "$bytes"
}
find "$tree" -type f > /dev/null
for side in old new; do
    binary=${!side}
    store=$work/$side-store
    export ARTTUI_CACHE_DIR=$work/$side-cache
    echo "== $side: $binary"
    measure "put v0" "$binary" put "$tree" -n p/tiny --store "$store"
    size "$store"
    measure "put unchanged" "$binary" put "$tree" -n p/tiny --store "$store"
    measure "ls p/tiny" "$binary" ls p/tiny --store "$store"
    measure "show p/tiny:v0" "$binary" show p/tiny:v0 --store "$store"
    measure "show --files (JSON)" "$binary" show p/tiny:v0 --files --json --store "$store"
    measure "get (empty folder)" "$binary" get p/tiny:v0 --root "$work/$side-get" --store "$store"
    rm -rf "$work/$side-get" "$ARTTUI_CACHE_DIR"
done
echo "== upgrade of the old store by the new binary"
cp -a "$work/old-store" "$work/upgraded-store"
measure "upgrade (first ls)" "$new" ls p/tiny --store "$work/upgraded-store"
size "$work/upgraded-store"
measure "put unchanged (upgraded)" "$new" put "$tree" -n p/tiny --store "$work/upgraded-store"
