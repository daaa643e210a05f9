"""Addresses in the reference's shapes: ``[ENTITY/][PROJECT/]NAME[:REF]`` and ``[ENTITY/][PROJECT/]ID``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

DEFAULT_PROJECT = "uncategorized"


def default_project() -> str:
    """``$ARTTUI_PROJECT``, else ``uncategorized``, as the reference falls back to its own."""
    return os.environ.get("ARTTUI_PROJECT") or DEFAULT_PROJECT


@dataclass(frozen=True)
class Path:
    """A parsed path: the entity (kept for a team server, ignored by a local store), project and last part."""

    entity: Optional[str]
    project: str
    name: str

    @staticmethod
    def parse(text: str, project: Optional[str] = None, entity: Optional[str] = None) -> "Path":
        """Reads ``NAME``, ``PROJECT/NAME`` or ``ENTITY/PROJECT/NAME``; missing parts come from the defaults."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"path {text!r} is empty; give [ENTITY/]PROJECT/NAME")
        parts = text.split("/")
        if ":" in text and "/" in text.partition(":")[2]:
            raise ValueError(f"path {text!r}: the alias or version {text.partition(':')[2]!r} cannot contain '/'")
        if len(parts) > 3 or any(part == "" for part in parts):
            raise ValueError(f"path {text!r} is not [ENTITY/]PROJECT/NAME")
        if len(parts) == 3:
            return Path(parts[0], parts[1], parts[2])
        if len(parts) == 2:
            return Path(entity, parts[0], parts[1])
        return Path(entity, project or default_project(), parts[0])

    @property
    def address(self) -> str:
        """What the executable takes: ``[ENTITY/]PROJECT/NAME`` (a local store ignores the entity)."""
        prefix = f"{self.entity}/" if self.entity else ""
        return f"{prefix}{self.project}/{self.name}"


def split_reference(name: str) -> tuple[str, Optional[str]]:
    """``name:ref`` into ``("name", "ref")``; ``name`` into ``("name", None)``."""
    base, colon, reference = name.partition(":")
    return base, (reference if colon else None)
