#!/usr/bin/env bash
# Stops the second server (if started) and the stack, by process id, and removes the walk's directory.
. "$(dirname "$0")/common.sh"
[ -f "$WALK/server2.pid" ] && kill -TERM "$(cat "$WALK/server2.pid")" 2>/dev/null
"$ROOT/scripts/team-stack.sh" stop
rm -rf "$WALK"
