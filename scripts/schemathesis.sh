#!/usr/bin/env bash
# Runs schemathesis against the team server's OpenAPI document on a throwaway team stack.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]
#
# Starts PostgreSQL, SeaweedFS and arttui-server with scripts/team-stack.sh (ports from its
# ARTTUI_STACK_* variables; this script picks 18440/18441/18443 unless they are set), creates a
# project of each visibility so the generated requests reach real data, seeds the objects that
# scripts/schemathesis.toml pins the path parameters to (with `arttui --remote` and the API: versions
# with files and aliases, a run of a sweep that logged and used them, pending versions, an upload, a
# second user and a team), then runs schemathesis with the admin's token over every operation,
# MAX_EXAMPLES (default 15) cases each, bounded by ARTTUI_SCHEMATHESIS_TIMEOUT seconds (default 600):
# the operations that delete or consume what they name in a second run, after all the others.
# Prints schemathesis' summaries (their counts) and
# exits non-zero when any response is a 5xx, breaks the document (schema, status code, content type),
# or the run times out. Stops the whole stack, by process id, on every exit.
#
# schemathesis comes from PyPI (schemathesis==4.32.5) in a virtualenv of its own,
# $ARTTUI_SCHEMATHESIS_VENV (default ~/.cache/arttui/schemathesis-venv), installed on first use.
# The seeding runs $ARTTUI_BIN (default: the debug build, built with `swift build --product arttui` if missing).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MAX_EXAMPLES=${1:-15}
TIMEOUT=${ARTTUI_SCHEMATHESIS_TIMEOUT:-600}
VENV=${ARTTUI_SCHEMATHESIS_VENV:-$HOME/.cache/arttui/schemathesis-venv}
VERSION=4.32.5
export ARTTUI_STACK_DIR=${ARTTUI_STACK_DIR:-/tmp/arttui-schemathesis-stack}
export ARTTUI_STACK_PORT=${ARTTUI_STACK_PORT:-18440}
export ARTTUI_STACK_PG_PORT=${ARTTUI_STACK_PG_PORT:-18441}
export ARTTUI_STACK_S3_PORT=${ARTTUI_STACK_S3_PORT:-18443}

die() { echo "schemathesis.sh: $*" >&2; exit 1; }
[[ $MAX_EXAMPLES =~ ^[1-9][0-9]*$ ]] || die "MAX_EXAMPLES must be a positive integer, not \"$MAX_EXAMPLES\""

if [ ! -x "$VENV/bin/st" ] || ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION"; then
    python3 -m venv "$VENV" || die "cannot create the virtualenv $VENV (python3-venv installed?)"
    "$VENV/bin/pip" install --quiet "schemathesis==$VERSION" || die "cannot install schemathesis==$VERSION"
fi

# schemathesis keeps a cache in its working directory: give it a scratch one.
work=$(mktemp -d)
exports=$("$HERE/team-stack.sh" start) || { rm -rf "$work"; die "the team stack did not start"; }
trap '"$HERE/team-stack.sh" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
eval "$exports"

auth=(-H "Authorization: Bearer $ARTTUI_TOKEN")
for visibility in private public open; do
    curl -sf "${auth[@]}" -H "Content-Type: application/json" -X POST "$ARTTUI_SERVER_URL/api/v1/projects" \
        -d "{\"entity\":\"admin\",\"name\":\"$visibility\",\"visibility\":\"$visibility\"}" >/dev/null \
        || die "cannot create the project admin/$visibility"
done

# Objects for the operations whose path names a version, run, sweep, upload, pending version or user
# (generated names only ever reach a 404): scripts/schemathesis.toml pins those path parameters to them.
arttui_bin() {
    if [ -n "${ARTTUI_BIN:-}" ]; then echo "$ARTTUI_BIN"; return; fi
    local bin="$ROOT/.build/debug/arttui"
    if [ ! -x "$bin" ]; then
        (cd "$ROOT" && swift build --product arttui >&2) || die "building arttui failed"
    fi
    echo "$bin"
}
api() { # METHOD PATH [JSON]: the response body; fails on any status but 2xx
    curl -sf "${auth[@]}" -H "Content-Type: application/json" -X "$1" "$ARTTUI_SERVER_URL/api/v1$2" ${3:+-d "$3"}
}
bin=$(arttui_bin)
files=$work/files
export ARTTUI_CACHE_DIR=$work/cache XDG_CONFIG_HOME=$work/config
arttui() { "$bin" "$@" --remote "$ARTTUI_SERVER_URL" >/dev/null; }
seed() {
    mkdir -p "$files/data"
    echo "the first file" >"$files/data/a.txt"
    seq 1 20000 >"$files/data/b.txt"
    for project in seed pruned; do api POST /projects "{\"entity\":\"admin\",\"name\":\"$project\"}" >/dev/null; done
    arttui run start --project seed --id seedrun --sweep seedsweep --config '{"lr":0.1}'
    arttui run log seedrun loss=0.5
    arttui put --name seed/data --alias keep "$files/data/a.txt"
    arttui put --name seed/data --run seedrun "$files/data"
    arttui use seed/data:v0 --run seedrun
    arttui put --name seed/tagged "$files/data/a.txt"
    api POST /admin/users '{"name":"seeduser"}' >/dev/null
    api POST /admin/teams '{"name":"seedteam"}' >/dev/null
    local digests
    digests=$(api GET /projects/admin/seed/artifacts/data/versions/v1/manifest | "$VENV/bin/python" -c '
import json, sys
content = max(json.load(sys.stdin)["contents"], key=lambda c: len(c["chunks"]))
print(content["digest"], content["chunks"][-1])')
    read -r ARTTUI_SEED_CONTENT ARTTUI_SEED_CHUNK <<<"$digests"
    export ARTTUI_SEED_CONTENT ARTTUI_SEED_CHUNK
}
# What the destructive operations consume, made again before each run: the first case that succeeds
# consumes it, and a phase whose cases all meet a 404 tests nothing (schemathesis says missing test data).
round=0
seed_consumed() {
    round=$((round + 1))
    for i in 1 2 3; do
        echo "$round.$i" >"$files/c.txt"
        arttui put --name seed/doomed "$files/c.txt"
        echo "old $round.$i" >"$files/c.txt"
        arttui put --name pruned/old "$files/c.txt"
    done
    # revoke_tokens revokes every token of seeduser: one to revoke again.
    api POST /admin/users/seeduser/tokens '{}' >/dev/null
    api PUT /projects/admin/seed/artifacts/tagged/versions/v0/aliases/gone >/dev/null
    for id in p-discard p-finish; do arttui put --name seed/pend --upsert --distributed-id "$id" "$files/data/a.txt"; done
    ARTTUI_SEED_UPLOAD=$(api POST /projects/admin/seed/uploads | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["upload"])')
    export ARTTUI_SEED_UPLOAD
}
# Called on their own, not as `seed || die …`: bash ignores `set -e` inside a function on the left
# of `||`, so a failing step went unnoticed and the run fuzzed objects that did not exist.
echo "schemathesis.sh: seeding the objects scripts/schemathesis.toml names" >&2
seed

# These delete or consume what they name (the seeded objects of their own): they run after the others,
# once per phase and generation mode with what they consume made again in between (schemathesis calls
# an operation whose valid cases of one phase all met a 404 missing test data), and without the
# stateful phase, whose scenarios would only meet what the first cases consumed. revoke_tokens is among them in any case: were
# its user not pinned, schemathesis would learn the admin's name from whoami and revoke the token the
# run signs in with.
last=(delete_version remove_alias discard_pending finish_pending finish_run commit_upload prune revoke_tokens)
deadline=$((SECONDS + TIMEOUT))
run_schemathesis() {
    local left=$((deadline - SECONDS)) status=0
    [ "$left" -gt 0 ] || die "schemathesis did not finish within $TIMEOUT s (ARTTUI_SCHEMATHESIS_TIMEOUT)"
    seed_consumed  # on its own, as `seed` above: any failing step ends the script
    (cd "$work" && timeout --signal=TERM "$left" "$VENV/bin/st" --config-file "$HERE/schemathesis.toml" \
        run "$ARTTUI_SERVER_URL/openapi.yaml" "${auth[@]}" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --max-examples "$MAX_EXAMPLES" --generation-deterministic --no-color "$@") || status=$?
    if [ "$status" = 124 ]; then
        die "schemathesis did not finish within $TIMEOUT s (ARTTUI_SCHEMATHESIS_TIMEOUT)"
    fi
    [ "$status" = 0 ] || die "schemathesis found failures (exit status $status): see above"
}
run_schemathesis "${last[@]/#/--exclude-operation-id=}"
for phases in examples,coverage fuzzing; do
    for mode in positive negative; do
        run_schemathesis "${last[@]/#/--include-operation-id=}" --phases "$phases" --mode "$mode"
    done
done
