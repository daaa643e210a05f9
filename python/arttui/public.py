"""The public API, shaped like the reference's ``wandb.Api``: read and change what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import _cli
from ._paths import Path, default_project, split_reference
from .artifact import Artifact
from .errors import CommError


class Api:
    """Reads and changes artifacts, runs and sweeps in the store (or on a team server).

    ``overrides`` sets the default ``project`` (else ``$ARTTUI_PROJECT``, else ``uncategorized``) and
    ``entity`` for paths that leave them out. ``remote`` (else ``$ARTTUI_REMOTE``) sends every command
    to that team server (``arttui --remote NAME``); ``store`` and ``cache_dir`` choose a local store and
    cache instead of ``$ARTTUI_STORE`` / ``$ARTTUI_CACHE_DIR``.
    """

    def __init__(
        self,
        overrides: Optional[Dict[str, Any]] = None,
        timeout: Optional[int] = None,
        api_key: Optional[str] = None,
        remote: Optional[str] = None,
        store: Optional[str] = None,
        cache_dir: Optional[str] = None,
    ) -> None:
        self.settings: Dict[str, Any] = {
            "project": default_project(),
            "entity": None,
            **(overrides or {}),
        }
        self._target = _cli.Target.from_environment(store=store, cache_dir=cache_dir, remote=remote)

    @property
    def default_entity(self) -> Optional[str]:
        """The entity paths default to (a local store has none)."""
        return self.settings.get("entity")

    def _path(self, text: str) -> Path:
        return Path.parse(text, project=self.settings.get("project"), entity=self.settings.get("entity"))

    def artifact(self, name: str, type: Optional[str] = None) -> Artifact:
        """The version ``[ENTITY/][PROJECT/]NAME[:REF]`` (REF an alias, ``vN`` or ``latest``, the default).

        Raises ``CommError`` if there is none, ``ValueError`` if ``type`` is given and differs.
        """
        path = self._path(name)
        base, reference = split_reference(path.name)
        address = Path(path.entity, path.project, f"{base}:{reference or 'latest'}").address
        record = _cli.run(["show"], [], [address], target=self._target)
        if type is not None and record["type"] != type:
            raise ValueError(f"artifact {address} is of type {record['type']}, not {type}")
        return Artifact._from_record(record, self._target, path.entity)

    def artifact_exists(self, name: str, type: Optional[str] = None) -> bool:
        """Whether ``artifact(name)`` finds a version."""
        try:
            self.artifact(name, type)
            return True
        except (CommError, ValueError):
            return False

    def artifact_versions(self, type_name: str, name: str, per_page: int = 50) -> List[Artifact]:
        """Every stored version of the artifact ``[ENTITY/][PROJECT/]NAME``, newest first."""
        path = self._path(name)
        records = _cli.run(["ls"], [], [f"{path.project}/{path.name}"], target=self._target)
        for record in records:
            if record["type"] != type_name:
                raise CommError(f"artifact {path.project}/{path.name} is of type {record['type']}, not {type_name}")
        return [Artifact._from_record(record, self._target, path.entity) for record in records]

    def artifacts(self, type_name: str, name: str, per_page: int = 50) -> List[Artifact]:
        """The same as ``artifact_versions``."""
        return self.artifact_versions(type_name, name, per_page)

    def artifact_types(self, project: Optional[str] = None) -> List["ArtifactType"]:
        """The types of the artifacts in a project, each with its artifacts (``collections()``)."""
        path = self._project_path(project)
        summaries = _cli.run(["ls"], [], [path.project], target=self._target)
        types: Dict[str, ArtifactType] = {}
        for summary in summaries:
            kind = types.setdefault(summary["type"], ArtifactType(summary["type"], path.project, self))
            kind._collections.append(ArtifactCollection(summary["name"], summary["type"], path.project, self, summary))
        return list(types.values())

    def artifact_type(self, type_name: str, project: Optional[str] = None) -> "ArtifactType":
        """One type of a project's artifacts; ``CommError`` if none has it."""
        for kind in self.artifact_types(project):
            if kind.name == type_name:
                return kind
        raise CommError(f"project {self._project_path(project).project} has no artifacts of type {type_name}")

    def artifact_collection(self, type_name: str, name: str) -> "ArtifactCollection":
        """The artifact ``[ENTITY/][PROJECT/]NAME`` as a collection of versions."""
        path = self._path(name)
        project = f"{path.entity}/{path.project}" if path.entity else path.project
        for collection in self.artifact_type(type_name, project).collections():
            if collection.name == path.name:
                return collection
        raise CommError(f"artifact {path.project}/{path.name} of type {type_name} not found")

    def _project_path(self, project: Optional[str]) -> Path:
        text = project or self.settings.get("project") or default_project()
        parts = text.split("/")
        if len(parts) == 2:
            return Path(parts[0], parts[1], "")
        return Path(self.settings.get("entity"), text, "")

    def run(self, path: str) -> "Run":
        """The run ``[ENTITY/][PROJECT/]RUN_ID``; ``CommError`` if the project has no such run."""
        parsed = self._path(path)
        run = Run._load(parsed.name, self._target, parsed.entity)
        if run.project != parsed.project:
            raise CommError(f"run {parsed.name} is in project {run.project}, not {parsed.project}")
        return run

    def runs(self, path: Optional[str] = None, filters: Optional[Dict[str, Any]] = None) -> List["Run"]:
        """The runs of a project (``[ENTITY/]PROJECT``), optionally only those with ``filters``
        ``{"sweep": ID}`` or ``{"group": NAME}``."""
        project = self._project_path(path)
        arguments: List[str] = []
        for key in ("sweep", "group"):
            arguments += _cli.option(key, (filters or {}).get(key))
        records = _cli.run(["runs", "ls"], arguments, [project.project], target=self._target)
        return [Run(record, self._target, project.entity) for record in records]

    def sweep(self, path: str) -> "Sweep":
        """The sweep ``[ENTITY/][PROJECT/]SWEEP_ID`` with its runs; ``CommError`` if it has none."""
        parsed = self._path(path)
        records = _cli.run(["runs", "ls"], [f"--sweep={parsed.name}"], [parsed.project], target=self._target)
        if not records:
            raise CommError(f"sweep {parsed.project}/{parsed.name} not found: no run belongs to it")
        runs = [Run(record, self._target, parsed.entity) for record in records]
        return Sweep(parsed.name, parsed.project, parsed.entity, runs, self._target)


class Run:
    """A stored run: what it used and logged, its ``config`` and ``summary``."""

    def __init__(self, record: Dict[str, Any], target: _cli.Target, entity: Optional[str] = None) -> None:
        self._target = target
        self.entity: Optional[str] = entity
        self.id: str = record["id"]
        self.name: str = record["name"]
        self.project: str = record["project"]
        self.group: Optional[str] = record.get("group")
        self.job_type: Optional[str] = record.get("jobType")
        self.sweep_id: Optional[str] = record.get("sweep")
        self.state: str = record["state"]
        self.config: Dict[str, Any] = dict(record.get("config") or {})
        self.summary: Dict[str, Any] = dict(record.get("summary") or {})
        self.created_at: str = record["startedAt"]
        self.finished_at: Optional[str] = record.get("finishedAt")
        self._stored_summary = dict(self.summary)

    @classmethod
    def _load(cls, run_id: str, target: _cli.Target, entity: Optional[str] = None) -> "Run":
        result = _cli.run(["run", "show"], [], [run_id], target=target)
        return cls(result["run"], target, entity)

    @property
    def path(self) -> List[str]:
        """``[entity, project, id]``, as the reference gives it."""
        return [self.entity or "", self.project, self.id]

    def logged_artifacts(self) -> List[Artifact]:
        """The versions it logged that are still stored, oldest first."""
        return _run_versions(self.id, "loggedVersions", self._target, self.entity)

    def used_artifacts(self) -> List[Artifact]:
        """The versions it used that are still stored."""
        return _run_versions(self.id, "usedVersions", self._target, self.entity)

    def update(self) -> None:
        """Stores the keys of ``summary`` that changed (``arttui run log``)."""
        import json

        changed = [
            f"{key}={json.dumps(value, allow_nan=False)}"
            for key, value in self.summary.items()
            if key not in self._stored_summary or self._stored_summary[key] != value
        ]
        if changed:
            _cli.run(["run", "log"], [], [self.id, *changed], target=self._target, json_output=False)
            self._stored_summary = dict(self.summary)

    def __repr__(self) -> str:
        return f"<Run {self.project}/{self.id} ({self.state})>"


def _run_versions(run_id: str, key: str, target: _cli.Target, entity: Optional[str]) -> List[Artifact]:
    result = _cli.run(["run", "show"], [], [run_id], target=target)
    return [
        Artifact._from_record(record, target, entity) for record in result[key] if record["state"] == "committed"
    ]


@dataclass
class Sweep:
    """A sweep: the runs that belong to it."""

    id: str
    project: str
    entity: Optional[str]
    runs: List[Run]
    _target: _cli.Target = field(repr=False)
    config: Dict[str, Any] = field(default_factory=dict)

    def best_run(self, order: Optional[str] = None) -> Optional[Run]:
        """The best run by a summary metric: ``order`` is ``"-val_acc"`` (highest first, the default
        direction) or ``"+val_loss"`` (lowest first); ``summary_metrics.`` may prefix the key. Without
        ``order``, the most recent run. ``None`` when no run has the metric."""
        if not self.runs:
            return None
        if order is None:
            return max(self.runs, key=lambda run: run.created_at)
        descending = not order.startswith("+")
        key = order.lstrip("+-")
        for prefix in ("summary_metrics.", "summary."):
            if key.startswith(prefix):
                key = key[len(prefix):]
        if not any(key in run.summary for run in self.runs):
            return None
        arguments = [f"--metric={key}"] + ([] if descending else ["--min"])
        result = _cli.run(["sweep", "best"], arguments, [self.project, self.id], target=self._target)
        return Run(result["run"], self._target, self.entity)


class ArtifactCollection:
    """One artifact (all its versions) of a type in a project."""

    def __init__(
        self, name: str, type: str, project: str, api: Api, summary: Optional[Dict[str, Any]] = None
    ) -> None:
        self.name: str = name
        self.type: str = type
        self.project: str = project
        self._api = api
        self.version_count: int = int((summary or {}).get("versions", 0))

    def versions(self) -> List[Artifact]:
        """Its stored versions, newest first."""
        return self._api.artifact_versions(self.type, f"{self.project}/{self.name}")

    def artifacts(self) -> List[Artifact]:
        """The same as ``versions()``."""
        return self.versions()

    def __repr__(self) -> str:
        return f"<ArtifactCollection {self.project}/{self.name} type={self.type}>"


class ArtifactType:
    """An artifact type in a project, with the artifacts of that type."""

    def __init__(self, name: str, project: str, api: Api) -> None:
        self.name: str = name
        self.type: str = name
        self.project: str = project
        self._collections: List[ArtifactCollection] = []

    def collections(self) -> List[ArtifactCollection]:
        """The artifacts of this type."""
        return list(self._collections)

    def collection(self, name: str) -> ArtifactCollection:
        """One artifact of this type; ``CommError`` if none is so named."""
        for collection in self._collections:
            if collection.name == name:
                return collection
        raise CommError(f"project {self.project} has no artifact {name} of type {self.name}")

    def __repr__(self) -> str:
        return f"<ArtifactType {self.name} in {self.project}>"
