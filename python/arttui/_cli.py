"""Runs the ``arttui`` executable and reads its ``--json`` output; every byte goes through it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from .errors import ArtifactNotFoundError, CommError, ExecutableNotFoundError, InvalidValueError

_ERROR_PREFIX = "arttui: error: "
# The kinds of failure (``ARTTUI_ERROR_FORMAT=json``) the reference raises as ValueError: a name nothing
# answers, and a value the store refuses.
_ERROR_CLASSES = {"notFound": ArtifactNotFoundError, "invalid": InvalidValueError}


def find_executable() -> str:
    """The ``arttui`` to run: ``$ARTTUI_BIN``, else the first ``arttui`` on ``PATH``."""
    explicit = os.environ.get("ARTTUI_BIN")
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise ExecutableNotFoundError(f"ARTTUI_BIN={explicit} is not an executable file")
        return explicit
    found = shutil.which("arttui")
    if found is None:
        raise ExecutableNotFoundError(
            "no arttui executable: put it on PATH or set ARTTUI_BIN (swift build --product arttui builds it)"
        )
    return found


@dataclass(frozen=True)
class Target:
    """Where commands go: the store and cache directories, or a team server.

    Each ``None`` leaves the choice to the executable (``$ARTTUI_STORE``, ``$ARTTUI_CACHE_DIR``,
    ``$ARTTUI_REMOTE`` or its defaults).
    """

    store: Optional[str] = None
    cache_dir: Optional[str] = None
    remote: Optional[str] = None

    @staticmethod
    def from_environment(
        store: Optional[str] = None, cache_dir: Optional[str] = None, remote: Optional[str] = None
    ) -> "Target":
        """A target from explicit values, a remote falling back to ``$ARTTUI_REMOTE``."""
        return Target(store=store, cache_dir=cache_dir, remote=remote or os.environ.get("ARTTUI_REMOTE") or None)

    def options(self) -> list[str]:
        """The global options for every command."""
        options = []
        if self.store is not None:
            options.append(f"--store={self.store}")
        if self.cache_dir is not None:
            options.append(f"--cache-dir={self.cache_dir}")
        if self.remote is not None:
            options.append(f"--remote={self.remote}")
        return options


def option(name: str, value: Any) -> list[str]:
    """``--name=value`` (one argument, so a value starting with ``-`` is never read as an option)."""
    return [] if value is None else [f"--{name}={value}"]


def options(name: str, values: Iterable[Any]) -> list[str]:
    """A repeatable option, once per value."""
    return [f"--{name}={value}" for value in values]


def run(
    command: Sequence[str],
    arguments: Sequence[str] = (),
    positional: Sequence[str] = (),
    *,
    target: Target,
    json_output: bool = True,
    accepted_statuses: Sequence[int] = (0,),
) -> Any:
    """Runs ``arttui COMMAND ARGUMENTS... -- POSITIONAL...`` and returns its parsed JSON (or its text).

    Raises ``CommError`` with the executable's one-line message when it exits with a status not in
    ``accepted_statuses`` (``ArtifactNotFoundError`` when no project, artifact or version has the name).
    """
    argv = [find_executable(), *command, *arguments, *target.options()]
    if json_output:
        argv.append("--json")
    if positional:
        argv += ["--", *positional]
    environment = {**os.environ, "ARTTUI_ERROR_FORMAT": "json"}
    completed = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=environment)
    failed_without_output = completed.returncode != 0 and not completed.stdout.strip()
    if completed.returncode not in accepted_statuses or failed_without_output:
        message, kind = _error_report(completed)
        error_class = _ERROR_CLASSES.get(kind or "", CommError)
        raise error_class(message, command=argv, exit_status=completed.returncode, kind=kind)
    text = completed.stdout.decode("utf-8")
    if not json_output:
        return text
    try:
        return json.loads(text)
    except ValueError as error:
        raise CommError(f"arttui {' '.join(command)} printed no JSON: {error}", command=argv) from None


def _error_report(completed: "subprocess.CompletedProcess[bytes]") -> tuple[str, Optional[str]]:
    """The failed command's message and kind: its ``{"error", "kind"}`` line, else its last words."""
    lines = [line for line in completed.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                report = json.loads(line)
            except ValueError:
                continue
            if isinstance(report, dict) and isinstance(report.get("error"), str):
                kind = report.get("kind")
                return report["error"], kind if isinstance(kind, str) else None
        if line.startswith(_ERROR_PREFIX):
            return line[len(_ERROR_PREFIX):], None
    if lines:
        return lines[-1], None
    return f"arttui exited with status {completed.returncode} and no message", None


def supports(command: Sequence[str], flag: str) -> bool:
    """Whether ``arttui COMMAND --help`` lists ``flag`` (for features other branches add)."""
    completed = subprocess.run(
        [find_executable(), *command, "--help"], stdin=subprocess.DEVNULL, capture_output=True
    )
    return flag in completed.stdout.decode("utf-8", "replace")
