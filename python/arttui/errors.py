"""Exceptions, named as the reference client names them (``wandb.errors``)."""

from __future__ import annotations

from typing import Optional, Sequence


class Error(Exception):
    """Base of every error this package raises (the reference's ``wandb.Error``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message: str = message


class CommError(Error):
    """The ``arttui`` executable refused or failed a command.

    ``message`` is its one-line error (without the ``arttui: error:`` prefix); ``command`` is the
    command line that was run and ``exit_status`` its status, for logs.
    """

    def __init__(
        self,
        message: str,
        command: Sequence[str] = (),
        exit_status: Optional[int] = None,
        kind: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.command: list[str] = list(command)
        self.exit_status: Optional[int] = exit_status
        # What sort of failure the executable reported (``notFound``, ``invalid``, ``conflict``,
        # ``permissionDenied``, ...; see the README's ARTTUI_ERROR_FORMAT), None when it said nothing.
        self.kind: Optional[str] = kind


class ArtifactNotFoundError(CommError, ValueError):
    """No project, artifact or version answers the name (a deleted version included).

    A ``ValueError``, as the reference raises for it (``except ValueError`` scripts keep working), and a
    ``CommError``, as every other refusal of the executable is.
    """


class InvalidValueError(CommError, ValueError):
    """The store refused a value as invalid: a name, an alias, metadata, a description, a path.

    A ``ValueError``, as the reference raises for these, and a ``CommError``, as every other refusal of
    the executable is.
    """


class UsageError(Error):
    """The package was called in a way it cannot honour (a missing run, an unsupported argument)."""


class ExecutableNotFoundError(Error):
    """Neither ``$ARTTUI_BIN`` nor an ``arttui`` on ``PATH`` names an executable."""


class ArtifactNotLoggedError(Error):
    """An attribute or method that needs a stored version was used on an artifact not logged yet."""

    def __init__(self, artifact_name: str, attribute: str) -> None:
        super().__init__(
            f"'{attribute}' of artifact {artifact_name!r} is only available after it is logged "
            "(run.log_artifact(artifact), then artifact.wait())"
        )
        self.attribute: str = attribute


class ArtifactFinalizedError(Error):
    """The files of a logged artifact cannot change; start a new ``Artifact`` for a new version."""

    def __init__(self, artifact_name: str, attribute: str) -> None:
        super().__init__(
            f"'{attribute}' cannot change artifact {artifact_name!r}: it is logged and its files are final; "
            "create a new Artifact to log a new version"
        )
        self.attribute: str = attribute


__all__ = [
    "Error",
    "CommError",
    "ArtifactNotFoundError",
    "InvalidValueError",
    "UsageError",
    "ExecutableNotFoundError",
    "ArtifactNotLoggedError",
    "ArtifactFinalizedError",
]
