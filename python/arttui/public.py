"""Runs and sweeps as the public API returns them (the reference's ``wandb.apis.public``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import _cli
from ._run_base import RunBase


class Run(RunBase):
    """A stored run: what it used and logged, its ``config`` and ``summary``."""

    def __init__(self, record: Dict[str, Any], target: _cli.Target, entity: Optional[str] = None) -> None:
        super().__init__(record, target, entity)
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

    def update(self) -> None:
        """Stores the keys of ``summary`` that changed (``arttui run log``)."""
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
