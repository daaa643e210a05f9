#!/usr/bin/env bash
# Scenario 3: two servers on one PG + bucket; A through server 1, B through server 2.
. "$(dirname "$0")/common.sh"; stack_env; cd "$W"
# The second server on the same PostgreSQL and bucket, in a session of its own (stop.sh stops it).
curl -sf "$URL2/readyz" >/dev/null || setsid bash -c ". '$ROOT/scripts/fault-walk/common.sh'; start_server $SECOND_PORT '$WALK/server2.pid'"
as bob $BIN/arttui remote add team2 $URL2 >/dev/null 2>&1; as bob $BIN/arttui login team2 < $WALK/home-bob/token >/dev/null
as alice $BIN/arttui remote add team2 $URL2 >/dev/null 2>&1; as alice $BIN/arttui login team2 < $WALK/home-alice/token >/dev/null
rm -rf race; mkdir -p race
# (a) concurrent puts of the same artifact through both servers, 2 x 6 versions
pids=()
for side in a b; do
  ( for i in 1 2 3 4 5 6; do d=race/$side$i; mkdir -p $d; head -c $((3<<20)) /dev/urandom > $d/f.bin; echo "$side$i" > $d/who.txt
      if [ $side = a ]; then as alice $BIN/arttui --remote team put $d -n ml/data/race; else as bob $BIN/arttui --remote team2 put $d -n ml/data/race; fi
    done > race/$side.log 2>&1 ) &
  pids+=($!)
done
wait "${pids[@]}"
cat race/a.log race/b.log | sort | uniq -c | sort -rn | head -3
as alice $BIN/arttui --remote team ls ml/data/race | awk 'NR>1 {print $1}' | sort -V | tr '\n' ' '; echo
# (b) A puts through server 1 while B gets latest, moves an alias and prunes through server 2
( for i in 7 8 9 10; do d=race/a$i; mkdir -p $d; head -c $((3<<20)) /dev/urandom > $d/f.bin; echo "a$i" > $d/who.txt
    as alice $BIN/arttui --remote team put $d -n ml/data/race || echo "PUT FAILED $i"; done > race/a2.log 2>&1 ) & pa=$!
( for i in 1 2 3 4 5 6; do
    rm -rf race/get$i; as bob $BIN/arttui --remote team2 get ml/data/race --root race/get$i > race/get$i.log 2>&1 || echo "GET $i: $(cat race/get$i.log)"
    as bob $BIN/arttui --remote team2 alias add ml/data/race:latest best >/dev/null || echo "ALIAS $i failed"
    as bob $BIN/arttui --remote team2 prune ml/data/race --keep-last 3 2>&1 | tail -1
  done ) 2>&1
wait $pa; cat race/a2.log
# every get byte for byte with the version it names
for i in 1 2 3 4 5 6; do [ -f race/get$i/who.txt ] || continue; w=$(cat race/get$i/who.txt); cmp -s race/get$i/f.bin race/$w/f.bin && echo -n "get$i=$w ok; " || echo -n "get$i=$w MISMATCH; "; done; echo
as alice $BIN/arttui --remote team ls ml/data/race | head -8
# (c) prune racing a get of a big version
mkdir -p race/big; head -c $((150<<20)) /dev/urandom > race/big/b.bin
as alice $BIN/arttui --remote team put race/big -n ml/data/racebig >/dev/null
as alice $BIN/arttui --remote team put race/a1 -n ml/data/racebig >/dev/null
as bob $BIN/arttui cache cleanup 0 --wait >/dev/null; rm -rf race/gb
as bob $BIN/arttui --remote team2 get ml/data/racebig:v0 --root race/gb > race/gb.log 2>&1 & pg=$!
sleep 0.7
as alice $BIN/arttui --remote team prune ml/data/racebig --keep-last 1
wait $pg; echo "get racing prune: exit $? $(cat race/gb.log)"
[ -f race/gb/b.bin ] && { cmp race/gb/b.bin race/big/b.bin && echo "byte for byte"; }
ls race/gb 2>/dev/null
as alice $BIN/arttui --remote team verify ml/data --read-data | tail -2
