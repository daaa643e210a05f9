#!/usr/bin/env bash
# Scenario 1a: SIGKILL the server mid-put of 300 MiB; restart; re-run; count bytes re-sent.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
b0=$(metric arttui_upload_bytes_total)
as alice $BIN/arttui --remote team put big -n ml/data/big > put1.out 2> put1.err &
p=$!
while [ "$(metric arttui_upload_bytes_total)" -lt $((b0 + (80<<20))) ]; do sleep 0.1; done
t0=$(now); kill_server; wait $p; rc=$?; t1=$(now)
echo "put after kill: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat put1.err)"
start_server
b1=$(metric arttui_upload_bytes_total)   # counters restart at 0 with the process
curl -s -H "Authorization: Bearer $ARTTUI_TOKEN" $URL/api/v1/projects/ml/data/artifacts/big/versions | head -c 300; echo
as alice $BIN/arttui --remote team put big -n ml/data/big; echo "rerun exit $?"
b2=$(metric arttui_upload_bytes_total)
echo "bytes sent before kill: >= $((80<<20)); re-run sent $((b2-b1)) of $((300<<20))"
