#!/usr/bin/env bash
# Scenario 2a: SeaweedFS stopped by its pid (SIGTERM) during a get and during a put; restarted; re-runs.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
S3DIR=$ARTTUI_STACK_DIR/s3
weed_stop() { local pid; pid=$(cat $S3DIR/weed.pid); kill -TERM $pid; }
weed_start() { $ROOT/scripts/services/s3.sh stop $S3DIR >/dev/null 2>&1; $ROOT/scripts/services/s3.sh start $S3DIR 36630 >/dev/null; }
rm -rf out-s3; as bob $BIN/arttui cache cleanup 0 --wait >/dev/null
s0=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-s3 > g.out 2> g.err & p=$!
while [ "$(metric arttui_chunk_records_sent_bytes_total)" -lt $((s0 + (60<<20))) ]; do sleep 0.05; done
t0=$(now); weed_stop; wait $p; rc=$?; t1=$(now)
echo "get, weed stopped: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat g.err)"
ls out-s3 | wc -l; as bob $BIN/arttui cache size
# put while it is down (starts after the stop)
mkdir -p put2; head -c $((40<<20)) /dev/urandom > put2/x.bin
t0=$(now); as alice $BIN/arttui --remote team put put2 -n ml/data/put2 2> p.err; rc=$?; t1=$(now)
echo "put, weed down: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat p.err)"
curl -s -m 6 -o /dev/null -w "readyz %{http_code} in %{time_total} s\n" $URL/readyz
weed_start
for i in $(seq 1 100); do curl -sf -m 2 $URL/readyz >/dev/null && break; sleep 0.1; done
curl -s -o /dev/null -w "readyz %{http_code} after restart\n" $URL/readyz
s1=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-s3; echo "get rerun exit $?"
s2=$(metric arttui_chunk_records_sent_bytes_total)
echo "get re-run fetched $((s2-s1)) bytes"; diff -r out-s3 many && echo "byte for byte"
as alice $BIN/arttui --remote team put put2 -n ml/data/put2; echo "put rerun exit $?"
# put interrupted by the stop
mkdir -p put3; head -c $((200<<20)) /dev/urandom > put3/y.bin
b0=$(metric arttui_upload_bytes_total)
as alice $BIN/arttui --remote team put put3 -n ml/data/put3 > p3.out 2> p3.err & p=$!
while [ "$(metric arttui_upload_bytes_total)" -lt $((b0 + (50<<20))) ]; do sleep 0.05; done
t0=$(now); weed_stop; wait $p; rc=$?; t1=$(now)
echo "put, weed stopped mid-way: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat p3.err)"
weed_start
for i in $(seq 1 100); do curl -sf -m 2 $URL/readyz >/dev/null && break; sleep 0.1; done
b1=$(metric arttui_upload_bytes_total)
as alice $BIN/arttui --remote team put put3 -n ml/data/put3; echo "put3 rerun exit $?"
b2=$(metric arttui_upload_bytes_total)
echo "put3: before the stop $((b1-b0)) bytes uploaded, re-run $((b2-b1)) of $((200<<20))"
as alice $BIN/arttui --remote team verify ml/data --read-data | tail -3
