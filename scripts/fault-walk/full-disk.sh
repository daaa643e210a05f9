#!/usr/bin/env bash
# Scenario 5: the client's disk fills during a get: a 50 MiB tmpfs as --root, then as the cache.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
mkdir -p $WALK/full-root $WALK/full-cache
mount -t tmpfs -o size=50m tmpfs $WALK/full-root
as bob $BIN/arttui cache cleanup 0 --wait >/dev/null
t0=$(now); as bob $BIN/arttui --remote team get ml/data/big --root $WALK/full-root/out --cache never 2> d.err; rc=$?; t1=$(now)
echo "get into a full --root: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat d.err)"
ls -la $WALK/full-root/out 2>&1 | tail -3; df -h $WALK/full-root | tail -1
as bob $BIN/arttui cache size
umount $WALK/full-root
# the cache on a full tmpfs
mount -t tmpfs -o size=50m tmpfs $WALK/full-cache
rm -rf out-full
t0=$(now); as bob $BIN/arttui --remote team --cache-dir $WALK/full-cache get ml/data/many --root out-full 2> d2.err; rc=$?; t1=$(now)
echo "get with a full cache: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat d2.err)"
ls out-full 2>/dev/null | wc -l; for f in out-full/*; do [ -f "$f" ] && { cmp -s "$f" many/$(basename $f) || echo "PARTIAL/DIFFERENT $f"; }; done
as bob $BIN/arttui --cache-dir $WALK/full-cache cache size; du -sb $WALK/full-cache; find $WALK/full-cache -type f -name '*.tmp*' | head -3
umount $WALK/full-cache; mount -t tmpfs -o size=400m tmpfs $WALK/full-cache
as bob $BIN/arttui --remote team --cache-dir $WALK/full-cache get ml/data/many --root out-full; echo "rerun exit $?"
diff -r out-full many && echo "byte for byte"
as bob $BIN/arttui --cache-dir $WALK/full-cache cache size
umount $WALK/full-cache
