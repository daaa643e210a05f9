"""What a run from ``init()`` and a run from ``Api().run()`` share: its stored fields and its artifacts."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import _cli
from .artifact import Artifact


class RunBase:
    """A run as ``arttui run show --json`` describes it."""

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

    def logged_artifacts(self) -> List[Artifact]:
        """The versions this run logged that are still stored, oldest first."""
        return self._versions("loggedVersions")

    def used_artifacts(self) -> List[Artifact]:
        """The versions this run used that are still stored."""
        return self._versions("usedVersions")

    def _versions(self, key: str) -> List[Artifact]:
        result = _cli.run(["run", "show"], [], [self.id], target=self._target)
        return [
            Artifact._from_record(record, self._target, self.entity)
            for record in result[key]
            if record["state"] == "committed"
        ]
