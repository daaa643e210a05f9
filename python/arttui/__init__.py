"""The reference system's Python API over arttui: move a script by changing ``import wandb`` to
``import arttui as wandb``.

Everything goes through the ``arttui`` executable (``$ARTTUI_BIN``, else ``arttui`` on ``PATH``) and
its ``--json`` output: the embedded store (``$ARTTUI_STORE``) by default, a team server with
``Api(remote=NAME)`` or ``$ARTTUI_REMOTE``.
"""

from __future__ import annotations

from typing import Optional

from . import data_types, errors
from .artifact import Artifact, ArtifactFile
from .data_types import PartitionedTable, Table
from .errors import ArtifactFinalizedError, ArtifactNotLoggedError, CommError, Error, UsageError
from .api import Api
from .artifact_type import ArtifactCollection, ArtifactType
from .public import Sweep
from .sdk import Run, finish, init, log, log_artifact, use_artifact

__version__ = "0.1.0"

#: The run started by the last ``init()`` until it finishes, as ``wandb.run``.
run: Optional[Run] = None

__all__ = [
    "Api",
    "Artifact",
    "ArtifactCollection",
    "ArtifactFile",
    "ArtifactFinalizedError",
    "ArtifactNotLoggedError",
    "ArtifactType",
    "CommError",
    "Error",
    "PartitionedTable",
    "Run",
    "Sweep",
    "Table",
    "UsageError",
    "data_types",
    "errors",
    "finish",
    "init",
    "log",
    "log_artifact",
    "run",
    "use_artifact",
]
