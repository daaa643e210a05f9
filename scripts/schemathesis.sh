#!/usr/bin/env bash
# Runs schemathesis against the team server's OpenAPI document on a throwaway team stack.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]
#
# Starts PostgreSQL, SeaweedFS and arttui-server with scripts/team-stack.sh (ports from its
# ARTTUI_STACK_* variables; this script picks 18440/18441/18443 unless they are set), creates a
# project of each visibility so the generated requests reach real data, then runs schemathesis with
# the admin's token over every operation, MAX_EXAMPLES (default 15) cases each, bounded by
# ARTTUI_SCHEMATHESIS_TIMEOUT seconds (default 600), revoke_tokens in a second run after the others.
# Prints schemathesis' summaries (their counts) and
# exits non-zero when any response is a 5xx, breaks the document (schema, status code, content type),
# or the run times out. Stops the whole stack, by process id, on every exit.
#
# schemathesis comes from PyPI (schemathesis==4.32.5) in a virtualenv of its own,
# $ARTTUI_SCHEMATHESIS_VENV (default ~/.cache/arttui/schemathesis-venv), installed on first use.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
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

# schemathesis learns the admin's name from whoami and revokes the admin's tokens with it: every request
# after that is a 401 and tests nothing. So revoke_tokens runs last, on its own.
deadline=$((SECONDS + TIMEOUT))
run_schemathesis() {
    local left=$((deadline - SECONDS)) status=0
    [ "$left" -gt 0 ] || die "schemathesis did not finish within $TIMEOUT s (ARTTUI_SCHEMATHESIS_TIMEOUT)"
    (cd "$work" && timeout --signal=TERM "$left" "$VENV/bin/st" run "$ARTTUI_SERVER_URL/openapi.yaml" "${auth[@]}" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --max-examples "$MAX_EXAMPLES" --generation-deterministic --no-color "$@") || status=$?
    if [ "$status" = 124 ]; then
        die "schemathesis did not finish within $TIMEOUT s (ARTTUI_SCHEMATHESIS_TIMEOUT)"
    fi
    [ "$status" = 0 ] || die "schemathesis found failures (exit status $status): see above"
}
run_schemathesis --exclude-operation-id revoke_tokens
run_schemathesis --include-operation-id revoke_tokens
