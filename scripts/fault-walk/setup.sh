#!/usr/bin/env bash
# Starts the stack, makes users alice and bob (members of team ml, project ml/data), logs each in on its own
# HOME, and writes the data the scenarios use under $WALK/work.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$ROOT"
mkdir -p "$WALK"
scripts/team-stack.sh start >/dev/null
stack_env
for u in alice bob; do
    rm -rf "$WALK/home-$u"; mkdir -p "$WALK/home-$u"
    "$BIN/arttui-server" admin user add $u >"$WALK/home-$u/token"
done
"$BIN/arttui-server" admin team add ml >/dev/null
"$BIN/arttui-server" admin team member ml alice --role member >/dev/null
"$BIN/arttui-server" admin team member ml bob --role member >/dev/null
for u in alice bob; do
    as $u "$BIN/arttui" remote add team "$URL" >/dev/null
    as $u "$BIN/arttui" login team <"$WALK/home-$u/token" >/dev/null
done
as alice "$BIN/arttui" --remote team project create ml/data --visibility private >/dev/null
mkdir -p "$W/big" "$W/many" "$W/put4"
for i in 1 2 3; do head -c $((100 << 20)) /dev/urandom >"$W/big/part$i.bin"; done
for i in $(seq -w 1 100); do head -c $((3 << 20)) /dev/urandom >"$W/many/f$i.bin"; done
head -c $((200 << 20)) /dev/urandom >"$W/put4/z.bin"
as alice "$BIN/arttui" --remote team put "$W/many" -n ml/data/many >/dev/null
echo "stack at $URL, users alice and bob, data in $W"
