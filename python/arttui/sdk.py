"""Runs, shaped like the reference's ``wandb.init()``: an execution that uses and logs artifacts."""

from __future__ import annotations

import json
import os
import sys
from types import TracebackType
from typing import Any, Dict, Optional, Sequence, Type, Union

from . import _cli
from ._paths import Path, default_project
from ._run_base import RunBase
from .artifact import Artifact
from .errors import UsageError

_RESUME_MODES = {True: "allow", "allow": "allow", "auto": "allow", "must": "must", "never": "never", False: "never"}


class Run(RunBase):
    """A run being executed: logs and uses artifacts, keeps a ``summary`` stored at ``finish()``.

    Use it as a context manager (``with arttui.init() as run:``); leaving the block finishes it, as
    ``failed`` when an exception leaves it.
    """

    def __init__(self, record: Dict[str, Any], target: _cli.Target, entity: Optional[str]) -> None:
        super().__init__(record, target, entity)
        self._finished = False

    @property
    def path(self) -> str:
        """``[ENTITY/]PROJECT/RUN_ID``, what ``Api().run`` takes."""
        return Path(self.entity, self.project, self.id).address

    def _check_open(self, method: str) -> None:
        if self._finished:
            raise UsageError(f"run {self.id} is finished; {method} needs a run started with arttui.init()")

    def log(self, data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
        """Records metrics: arttui keeps the last value of each key in ``summary`` (stored at ``finish()``)."""
        self._check_open("log")
        self.summary.update(data)

    def log_artifact(
        self,
        artifact_or_path: Union[Artifact, str],
        name: Optional[str] = None,
        type: Optional[str] = None,
        aliases: Optional[Sequence[str]] = None,
    ) -> Artifact:
        """Stores an artifact as a new version logged by this run (or finds the equal newest version),
        with ``aliases`` besides ``latest``. A path logs that file or directory as ``run-ID-BASENAME``."""
        self._check_open("log_artifact")
        artifact = self._artifact(artifact_or_path, name, type)
        return artifact._log(self.project, self.id, list(aliases or []), self._target, self.entity)

    def use_artifact(
        self,
        artifact_or_name: Union[Artifact, str],
        type: Optional[str] = None,
        aliases: Optional[Sequence[str]] = None,
    ) -> Artifact:
        """Records that this run uses a version (``NAME:ALIAS``, ``PROJECT/NAME:ALIAS`` or an Artifact)
        and returns it; ``download()`` it to get its files. A draft is logged first, with ``aliases``."""
        self._check_open("use_artifact")
        if isinstance(artifact_or_name, Artifact):
            if artifact_or_name.is_draft():
                self.log_artifact(artifact_or_name, aliases=aliases)
            address = artifact_or_name.qualified_name
        else:
            path = Path.parse(artifact_or_name, project=self.project, entity=self.entity)
            address = path.address if ":" in path.name else f"{path.address}:latest"
        record = _cli.run(["use"], [f"--run={self.id}"], [address], target=self._target)
        if type is not None and record["type"] != type:
            raise ValueError(f"artifact {address} is of type {record['type']}, not {type}")
        return Artifact._from_record(record, self._target, self.entity)

    def upsert_artifact(
        self,
        artifact_or_path: Union[Artifact, str],
        name: Optional[str] = None,
        type: Optional[str] = None,
        aliases: Optional[Sequence[str]] = None,
        distributed_id: Optional[str] = None,
    ) -> Artifact:
        """Adds an artifact's files to the pending version parallel writers share (``distributed_id``,
        default the run's group); it becomes visible when one of them calls ``finish_artifact``."""
        self._check_open("upsert_artifact")
        artifact = self._artifact(artifact_or_path, name, type)
        artifact.aliases = list(dict.fromkeys([*artifact.aliases, *(aliases or [])]))
        artifact._upsert(self.project, self.id, self._shared_id(distributed_id), self._target, self.entity)
        return artifact

    def finish_artifact(
        self,
        artifact_or_path: Union[Artifact, str],
        name: Optional[str] = None,
        type: Optional[str] = None,
        aliases: Optional[Sequence[str]] = None,
        distributed_id: Optional[str] = None,
    ) -> Artifact:
        """Commits the pending version of parallel writers (with this artifact's files added); later
        upserts with the same id start a new version."""
        self._check_open("finish_artifact")
        artifact = self._artifact(artifact_or_path, name, type)
        return artifact._finish(
            self.project, self.id, list(aliases or []), self._shared_id(distributed_id), self._target, self.entity
        )

    def _shared_id(self, distributed_id: Optional[str]) -> str:
        shared = distributed_id or self.group
        if not shared:
            raise UsageError("upsert_artifact and finish_artifact need distributed_id=, or a run started with group=")
        return shared

    def _artifact(self, artifact_or_path: Union[Artifact, str], name: Optional[str], type: Optional[str]) -> Artifact:
        if isinstance(artifact_or_path, Artifact):
            return artifact_or_path
        local = str(artifact_or_path)
        artifact = Artifact(name or f"run-{self.id}-{os.path.basename(os.path.normpath(local))}", type or "unspecified")
        if os.path.isdir(local):
            artifact.add_dir(local)
        else:
            artifact.add_file(local)
        return artifact

    def finish(self, exit_code: Optional[int] = None, quiet: Optional[bool] = None) -> None:
        """Marks the run finished (``failed`` for a non-zero ``exit_code``) and stores its ``summary``."""
        if self._finished:
            return
        state = "finished" if not exit_code else "failed"
        summary = json.dumps(self.summary, allow_nan=False, sort_keys=True)
        _cli.run(
            ["run", "finish"], [f"--state={state}", f"--summary={summary}"], [self.id],
            target=self._target, json_output=False,
        )
        self._finished = True
        self.state = state
        if _active is self:
            _set_active(None)

    def __enter__(self) -> "Run":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> bool:
        self.finish(exit_code=0 if exc_type is None else 1)
        return False

    def __repr__(self) -> str:
        return f"<Run {self.project}/{self.id}{' (finished)' if self._finished else ''}>"


_active: Optional[Run] = None


def _set_active(run: Optional[Run]) -> None:
    global _active
    _active = run
    package = sys.modules.get("arttui")
    if package is not None:
        package.run = run  # type: ignore[attr-defined]


def init(
    project: Optional[str] = None,
    entity: Optional[str] = None,
    job_type: Optional[str] = None,
    name: Optional[str] = None,
    id: Optional[str] = None,
    resume: Union[bool, str, None] = None,
    group: Optional[str] = None,
    config: Optional[Dict[str, Any]] = None,
    **_: Any,
) -> Run:
    """Starts a run (or, with ``id`` and ``resume="allow"``/``"must"``, reopens one) and makes it ``arttui.run``.

    ``project`` defaults to ``$ARTTUI_PROJECT``, else ``uncategorized``; ``id`` to ``$ARTTUI_RUN_ID``,
    else 8 random characters; ``group`` to ``$ARTTUI_RUN_GROUP``. A run started under a sweep agent
    joins the sweep ``$ARTTUI_SWEEP_ID``. A run still active is finished first. Other keyword
    arguments of the reference (``tags``, ``notes``, ``save_code``, ...) are accepted and ignored.
    """
    if _active is not None:
        _active.finish()
    mode = _RESUME_MODES.get(resume if resume is not None else "never")
    if mode is None:
        raise ValueError(f"resume={resume!r} is not one of 'allow', 'must', 'never', 'auto', True or False")
    target = _cli.Target.from_environment()
    arguments = [f"--project={project or default_project()}", f"--resume={mode}"]
    arguments += _cli.option("id", id or os.environ.get("ARTTUI_RUN_ID") or None)
    arguments += _cli.option("name", name)
    arguments += _cli.option("group", group or os.environ.get("ARTTUI_RUN_GROUP") or None)
    arguments += _cli.option("job-type", job_type)
    arguments += _cli.option("sweep", os.environ.get("ARTTUI_SWEEP_ID") or None)
    if config:
        arguments.append(f"--config={json.dumps(dict(config), allow_nan=False, sort_keys=True)}")
    record = _cli.run(["run", "start"], arguments, target=target)
    run = Run(record, target, entity)
    _set_active(run)
    return run


def _active_run(method: str) -> Run:
    if _active is None:
        raise UsageError(f"call arttui.init() before arttui.{method}()")
    return _active


def log_artifact_from_anywhere(artifact: Artifact, project: Optional[str] = None) -> Artifact:
    """Logs from the active run, else from a run of job type ``auto`` started for it, as the reference does."""
    if _active is not None:
        return _active.log_artifact(artifact)
    with init(project=project, job_type="auto") as run:
        return run.log_artifact(artifact)


def log_artifact(
    artifact_or_path: Union[Artifact, str],
    name: Optional[str] = None,
    type: Optional[str] = None,
    aliases: Optional[Sequence[str]] = None,
) -> Artifact:
    """``arttui.run.log_artifact(...)``; without an active run, from a run of job type ``auto``."""
    if _active is not None:
        return _active.log_artifact(artifact_or_path, name, type, aliases)
    with init(job_type="auto") as run:
        return run.log_artifact(artifact_or_path, name, type, aliases)


def use_artifact(
    artifact_or_name: Union[Artifact, str], type: Optional[str] = None, aliases: Optional[Sequence[str]] = None
) -> Artifact:
    """``arttui.run.use_artifact(...)``; needs an active run."""
    return _active_run("use_artifact").use_artifact(artifact_or_name, type, aliases)


def log(data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
    """``arttui.run.log(...)``; needs an active run."""
    _active_run("log").log(data, step, commit)


def finish(exit_code: Optional[int] = None, quiet: Optional[bool] = None) -> None:
    """Finishes the active run, if any."""
    if _active is not None:
        _active.finish(exit_code)
