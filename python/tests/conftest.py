"""Fixtures: a fresh embedded store and cache per test, and the arttui command line to check effects."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from arttui import _cli, sdk


class CommandLine:
    """Runs ``arttui`` directly, as a user would, against the test's store."""

    def __init__(self, store: Path, cache: Path) -> None:
        self.store = store
        self.cache = cache

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        completed = subprocess.run(
            [_cli.find_executable(), *arguments, "--store", str(self.store), "--cache-dir", str(self.cache)],
            capture_output=True,
            text=True,
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"arttui {' '.join(arguments)} failed: {completed.stderr.strip()}")
        return completed

    def json(self, *arguments: str) -> Any:
        return json.loads(self.run(*arguments, "--json").stdout)

    def text(self, *arguments: str) -> str:
        return self.run(*arguments).stdout.strip()

    def fails(self, *arguments: str) -> str:
        completed = self.run(*arguments, check=False)
        assert completed.returncode != 0, f"arttui {' '.join(arguments)} succeeded"
        return completed.stderr.strip()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CommandLine:
    """A fresh store and cache (``ARTTUI_STORE``, ``ARTTUI_CACHE_DIR``), the working directory a fresh
    folder, no default project, no active run."""
    store, cache, work = tmp_path / "store", tmp_path / "cache", tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("ARTTUI_STORE", str(store))
    monkeypatch.setenv("ARTTUI_CACHE_DIR", str(cache))
    for name in ("ARTTUI_PROJECT", "ARTTUI_REMOTE", "ARTTUI_RUN_ID", "ARTTUI_RUN_GROUP", "ARTTUI_SWEEP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    sdk._set_active(None)
    yield CommandLine(store, cache)
    sdk._set_active(None)


def write(path: str, content: str) -> str:
    """Writes a text file (making its folders) and returns its path."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(content)
    return path


def run_snippet(code: str, namespace: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Runs a FAQ snippet with ``import arttui as wandb`` in place of ``import wandb`` (added in front
    when the snippet assumes it, as the FAQ's snippets do); returns its variables."""
    if "import wandb\n" in code:
        source = code.replace("import wandb\n", "import arttui as wandb\n", 1)
    else:
        source = "import arttui as wandb\n" + code
    scope: Dict[str, Any] = {"__name__": "faq_snippet", **(namespace or {})}
    exec(compile(source, "<faq snippet>", "exec"), scope)
    return scope
