#!/usr/bin/env bash
# Scenario 4a: bob's token revoked while his long put runs.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
mkdir -p put5; head -c $((200<<20)) /dev/urandom > put5/w.bin
b0=$(metric arttui_upload_bytes_total)
as bob $BIN/arttui --remote team put put5 -n ml/data/put5 > r.out 2> r.err & p=$!
while [ "$(metric arttui_upload_bytes_total)" -lt $((b0 + (40<<20))) ]; do sleep 0.05; done
t0=$(now); $BIN/arttui-server admin token revoke bob >/dev/null; wait $p; rc=$?; t1=$(now)
echo "put, token revoked: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat r.err)"
curl -s -H "Authorization: Bearer $ARTTUI_TOKEN" $URL/api/v1/projects/ml/data/artifacts/put5/versions | head -c 120; echo
$BIN/arttui-server admin token add bob > $WALK/home-bob/token
as bob $BIN/arttui login team < $WALK/home-bob/token; as bob $BIN/arttui login team2 < $WALK/home-bob/token 2>/dev/null
b1=$(metric arttui_upload_bytes_total)
as bob $BIN/arttui --remote team put put5 -n ml/data/put5; echo "rerun exit $?"
b2=$(metric arttui_upload_bytes_total)
echo "put5: re-run sent $((b2-b1)) of $((200<<20))"
