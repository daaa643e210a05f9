#!/usr/bin/env bash
# Scenario 1c/1d: SIGKILL the server mid-push and mid-pull; restart; re-run.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
as alice $BIN/arttui put put4 -n local/pushme >/dev/null
rm -rf "$W/bobstore"
b0=$(metric arttui_upload_bytes_total)
as alice $BIN/arttui push local/pushme --to team --into ml/data > push1.out 2> push1.err & p=$!
while [ "$(metric arttui_upload_bytes_total)" -lt $((b0 + (60<<20))) ]; do sleep 0.05; done
t0=$(now); kill_server; wait $p; rc=$?; t1=$(now)
echo "push after kill: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat push1.err)"
start_server
curl -s -H "Authorization: Bearer $ARTTUI_TOKEN" $URL/api/v1/projects/ml/data/artifacts/pushme/versions | head -c 200; echo
b1=$(metric arttui_upload_bytes_total)
as alice $BIN/arttui push local/pushme --to team --into ml/data; echo "push rerun exit $?"
b2=$(metric arttui_upload_bytes_total)
echo "push re-run sent $((b2-b1)) of $((200<<20))"
# pull into bob's local store
s0=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui pull ml/data/pushme --from team --into mine --store "$W/bobstore" > pull1.out 2> pull1.err & p=$!
while [ "$(metric arttui_chunk_records_sent_bytes_total)" -lt $((s0 + (60<<20))) ]; do sleep 0.05; done
t0=$(now); kill_server; wait $p; rc=$?; t1=$(now)
echo "pull after kill: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat pull1.err)"
as bob $BIN/arttui --store "$W/bobstore" verify | tail -2
start_server
s1=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui pull ml/data/pushme --from team --into mine --store "$W/bobstore"; echo "pull rerun exit $?"
s2=$(metric arttui_chunk_records_sent_bytes_total)
echo "pull re-run fetched $((s2-s1)) of $((200<<20))"
as bob $BIN/arttui --store "$W/bobstore" verify --read-data | tail -2
as alice $BIN/arttui --remote team verify ml/data --read-data | tail -2
