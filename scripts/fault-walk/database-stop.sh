#!/usr/bin/env bash
# Scenario 2b: PostgreSQL stopped (pg_ctl stop -m fast) during a get; requests answer 503; restarted; the same server recovers.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
PG=$ARTTUI_STACK_DIR/pg; B=/usr/lib/postgresql/15/bin
pgctl() { runuser -u postgres -- $B/pg_ctl -D $PG/data -w "$@" >/dev/null; }
rm -rf out-pg; as bob $BIN/arttui cache cleanup 0 --wait >/dev/null
s0=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-pg > pg.out 2> pg.err & p=$!
while [ "$(metric arttui_chunk_records_sent_bytes_total)" -lt $((s0 + (60<<20))) ]; do sleep 0.05; done
t0=$(now); pgctl -m fast stop; wait $p; rc=$?; t1=$(now)
echo "get, PostgreSQL stopped: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat pg.err)"
curl -s -m 8 -w " [%{http_code} in %{time_total} s]\n" $URL/readyz
curl -s -m 8 -w " [%{http_code} in %{time_total} s]\n" -H "Authorization: Bearer $ARTTUI_TOKEN" $URL/api/v1/projects/ml/data/artifacts
t0=$(now); as alice $BIN/arttui --remote team ls ml/data 2> l.err; rc=$?; t1=$(now); echo "ls: exit $rc after $(echo "$t1-$t0"|bc) s: $(cat l.err)"
pgctl -l $PG/server.log -o "-c listen_addresses=127.0.0.1 -p $ARTTUI_STACK_PG_PORT -k $PG -c fsync=off" start
for i in $(seq 1 100); do curl -sf -m 2 $URL/readyz >/dev/null && break; sleep 0.1; done
curl -s -w " [%{http_code}]\n" $URL/readyz; echo "server pid unchanged: $(server_pid) $(kill -0 $(server_pid) && echo alive)"
s1=$(metric arttui_chunk_records_sent_bytes_total)
as bob $BIN/arttui --remote team get ml/data/many --root out-pg; echo "rerun exit $?"
s2=$(metric arttui_chunk_records_sent_bytes_total); echo "re-run fetched $((s2-s1))"
diff -r out-pg many && echo "byte for byte"
