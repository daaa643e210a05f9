#!/usr/bin/env bash
# Scenario 1b: SIGKILL the server mid-get of 100 files of 3 MiB; restart; re-run: only what is missing moves; no half file.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
rm -rf out-many; as bob $BIN/arttui cache cleanup 0 --wait >/dev/null
s0=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-many > get1.out 2> get1.err &
p=$!
while [ "$(metric arttui_chunk_records_sent_bytes_total)" -lt $((s0 + (150<<20))) ]; do sleep 0.05; done
t0=$(now); kill_server; wait $p; rc=$?; t1=$(now)
echo "get after kill: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat get1.err)"
ls -la out-many; find $WALK/home-bob/cache -type f | grep -v '\.sqlite' | head; as bob $BIN/arttui cache size
start_server
s1=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-many; echo "rerun exit $?"
s2=$(metric arttui_chunk_records_sent_bytes_total)
echo "re-run fetched $((s2-s1)) bytes of $((300<<20)) (100 files)"
diff -r out-many many && echo "byte for byte"
as bob $BIN/arttui cache size
