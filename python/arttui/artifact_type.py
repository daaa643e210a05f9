"""Artifact types and collections (all versions of one artifact), as ``Api().artifact_types()`` lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

from .artifact import Artifact
from .errors import CommError

if TYPE_CHECKING:
    from .api import Api


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
