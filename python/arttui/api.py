"""``Api``, shaped like the reference's ``wandb.Api``: read and change what is stored."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import _cli
from ._paths import Path, default_project, split_reference
from .artifact import Artifact
from .artifact_type import ArtifactCollection, ArtifactType
from .errors import CommError
from .public import Run, Sweep


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
