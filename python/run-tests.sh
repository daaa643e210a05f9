#!/usr/bin/env bash
# Builds arttui, installs the Python package into a virtualenv of its own and runs its tests.
# Usage: python/run-tests.sh [PYTEST ARGS...]   (from anywhere; ARTTUI_PYTHON_VENV moves the venv)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
swift build -j "${ARTTUI_BUILD_JOBS:-1}" --product arttui
binary="$(swift build --show-bin-path)/arttui"

venv="${ARTTUI_PYTHON_VENV:-$repo/.build/python-venv}"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$repo/python" pytest

status=0
ARTTUI_BIN="$binary" "$venv/bin/python" -m pytest -rs "$repo/python/tests" "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "python/run-tests.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
