"""``Artifact``: a version being assembled (a draft) or one stored in arttui, as the reference's
``wandb.Artifact`` is both."""

from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, IO, Iterator, List, Optional, Sequence, Tuple, Union

from . import _cli
from ._paths import Path
from .data_types import PartitionedTable, Table
from .errors import ArtifactFinalizedError, ArtifactNotLoggedError, UsageError

if TYPE_CHECKING:
    from .public import Run as PublicRun

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-.]+$")
_MANAGED_ALIAS = re.compile(r"^(latest|v[0-9]+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ArtifactFile:
    """One file of a stored version: its path inside the artifact, size in bytes and digest (SHA-256
    hex; a reference's recorded checksum). What ``files()``, ``get_entry`` and ``get_path`` return."""

    name: str
    size: int
    digest: str
    _artifact: Optional["Artifact"] = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> str:
        """The file's path inside the artifact (the same as ``name``)."""
        return self.name

    def download(self, root: Optional[str] = None, **_: Any) -> str:
        """Writes only this file under ``root`` (default ``./artifacts/NAME:vN``), its bytes checked;
        returns the file's local path."""
        if self._artifact is None:
            raise UsageError(f"file {self.name} does not belong to a stored artifact")
        return self._artifact._download_file(self.name, root)


class Artifact:
    """A set of files versioned together: build one and log it from a run, or get one from ``Api``.

    A new artifact is a draft: add files with ``add_file``, ``add_dir``, ``new_file``, ``add`` (tables) and
    ``add_reference``, then ``run.log_artifact(artifact)``. Once logged (or when it comes from
    ``Api().artifact(...)``), its files are final and ``version``, ``digest``, ``size`` and the rest are
    known; ``description``, ``metadata`` and ``aliases`` can still change and are stored by ``save()``.

    ``name`` is ``NAME`` for a draft and ``NAME:vN`` once logged, as the reference has it. ``name`` may be
    left out (``Artifact(type="code")``): the artifact is then named after its type when logged.
    """

    def __init__(
        self,
        name: Optional[str] = None,
        type: Optional[str] = None,
        description: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
        incremental: bool = False,
        use_as: Optional[str] = None,
    ) -> None:
        if type is None:
            raise TypeError("Artifact() needs a type, such as Artifact('mnist', type='dataset')")
        if name is not None:
            _check_name(name)
        self._base_name: Optional[str] = name
        self.type: str = type
        self.description: Optional[str] = description
        self._metadata: Dict[str, Any] = _checked_metadata(metadata or {})
        self.aliases: List[str] = []
        self._record: Optional[Dict[str, Any]] = None
        self._target: _cli.Target = _cli.Target.from_environment()
        self._entity: Optional[str] = None
        # Draft contents, turned into `arttui put` arguments when logged.
        self._entries: List[Tuple[str, str]] = []
        self._directories: List[str] = []
        self._tables: List[Tuple[str, str]] = []
        self._partitioned_tables: List[Tuple[str, str]] = []
        self._references: List[str] = []
        self._reference_options: Dict[str, Any] = {}
        self._staging: Optional[str] = None
        self._saved: Tuple[str, Dict[str, Any], List[str]] = ("", {}, [])

    # Stored versions ------------------------------------------------------------------------------

    @classmethod
    def _from_record(
        cls, record: Dict[str, Any], target: _cli.Target, entity: Optional[str] = None
    ) -> "Artifact":
        artifact = cls(record["name"], record["type"])
        artifact._target = target
        artifact._entity = entity
        artifact._become(record)
        return artifact

    def _become(self, record: Dict[str, Any]) -> None:
        """Takes the state of a stored version (after a log, a save, or when read)."""
        self._record = record
        self._base_name = record["name"]
        self.type = record["type"]
        self.description = record.get("description") or ""
        self._metadata = copy.deepcopy(record.get("metadata") or {})
        self.aliases = list(record.get("aliases") or [])
        self._saved = (self.description, copy.deepcopy(self._metadata), list(self.aliases))
        self._remove_staging()

    def _stored(self, attribute: str) -> Dict[str, Any]:
        if self._record is None:
            raise ArtifactNotLoggedError(self._base_name or f"<unnamed {self.type}>", attribute)
        return self._record

    def _draft(self, attribute: str) -> None:
        if self._record is not None:
            raise ArtifactFinalizedError(self.name, attribute)

    @property
    def name(self) -> str:
        """``NAME`` for a draft, ``NAME:vN`` once stored."""
        if self._record is None:
            return self._base_name or ""
        return f"{self._record['name']}:{self._record['version']}"

    @property
    def version(self) -> str:
        """The version, ``vN``."""
        return self._stored("version")["version"]

    @property
    def project(self) -> str:
        """The project the version belongs to."""
        return self._stored("project")["project"]

    @property
    def entity(self) -> Optional[str]:
        """The entity given in the path it was read by (a local store has none)."""
        return self._entity

    @property
    def qualified_name(self) -> str:
        """``[ENTITY/]PROJECT/NAME:vN``, an address every command and ``Api().artifact`` accept."""
        record = self._stored("qualified_name")
        return Path(self._entity, record["project"], record["name"]).address + f":{record['version']}"

    @property
    def source_name(self) -> str:
        """``NAME:vN``."""
        return self.name

    @property
    def digest(self) -> str:
        """The version's digest: SHA-256 over its sorted paths and file digests."""
        return self._stored("digest")["digest"]

    @property
    def size(self) -> int:
        """The total size of its files in bytes."""
        return int(self._stored("size")["size"])

    @property
    def file_count(self) -> int:
        """How many files it has."""
        return int(self._stored("file_count")["fileCount"])

    @property
    def state(self) -> str:
        """``PENDING`` for a draft or an upserted version being filled, else ``COMMITTED`` (or ``DELETED``)."""
        if self._record is None:
            return "PENDING"
        return str(self._record["state"]).upper()

    @property
    def created_at(self) -> str:
        """When it was stored (ISO 8601, UTC)."""
        return self._stored("created_at")["createdAt"]

    @property
    def metadata(self) -> Dict[str, Any]:
        """Metadata (a JSON object); change it in place or replace it, then ``save()``."""
        return self._metadata

    @metadata.setter
    def metadata(self, value: Dict[str, Any]) -> None:
        self._metadata = _checked_metadata(value)

    def is_draft(self) -> bool:
        """Whether it has not been logged yet."""
        return self._record is None

    def wait(self, timeout: Optional[int] = None) -> "Artifact":
        """Returns the artifact once logged (logging in arttui finishes before ``log_artifact`` returns);
        ``ArtifactNotLoggedError`` for one never logged, as in the reference."""
        self._stored("wait")
        return self

    # Building a draft -----------------------------------------------------------------------------

    def add_file(
        self, local_path: str, name: Optional[str] = None, is_tmp: Optional[bool] = False, **_: Any
    ) -> None:
        """Adds one file, under its own file name or ``name`` (a path inside the artifact)."""
        self._draft("add_file")
        if not os.path.isfile(local_path):
            raise ValueError(f"add_file: {local_path} is not a file")
        target = name if name is not None else os.path.basename(local_path)
        self._entries.append((_artifact_path(target), os.path.abspath(local_path)))

    def add_dir(self, local_path: str, name: Optional[str] = None, **_: Any) -> None:
        """Adds a directory's files relative to it, under the folder ``name`` if given."""
        self._draft("add_dir")
        if not os.path.isdir(local_path):
            raise ValueError(f"add_dir: {local_path} is not a directory")
        if name is None or name.strip("/") == "":
            self._directories.append(os.path.abspath(local_path))
        else:
            self._entries.append((_artifact_path(name.strip("/")), os.path.abspath(local_path)))

    def add_reference(
        self,
        uri: str,
        name: Optional[str] = None,
        checksum: bool = True,
        max_objects: Optional[int] = None,
    ) -> None:
        """Records a URI (``file://``, ``s3://``, ``http(s)://``) instead of storing its bytes.

        Passed to ``arttui put --reference [NAME=]URI`` (with ``--no-checksum`` and ``--max-objects``):
        entries are named after the URI, or with ``name`` a single object is the entry ``name`` and a
        folder's or prefix's objects go under the folder ``name``.
        """
        self._draft("add_reference")
        if "://" not in uri:
            raise ValueError(f"add_reference: {uri!r} is not a URI such as file:///data or s3://bucket/key")
        if name is not None:
            path = _artifact_path(name)
            uri = f"{path}={uri}"
        for key, value in (("checksum", checksum), ("max_objects", max_objects)):
            if key in self._reference_options and self._reference_options[key] != value:
                raise UsageError(f"add_reference: every reference of one artifact must use the same {key}")
            self._reference_options[key] = value
        self._references.append(uri)

    @contextlib.contextmanager
    def new_file(self, name: str, mode: str = "x", encoding: Optional[str] = None) -> Iterator[IO[Any]]:
        """Opens a new file ``name`` inside the artifact for writing; it is added when the block ends."""
        self._draft("new_file")
        path = _artifact_path(name)
        if any(existing == path for existing, _ in self._entries):
            raise ValueError(f"new_file: the artifact has a file {path} already")
        local = os.path.join(self._staging_directory(), "files", path)
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local, mode, encoding=encoding) as handle:
            yield handle
        self._entries.append((path, local))

    def add(self, obj: Union[Table, PartitionedTable], name: str) -> None:
        """Adds a table as the entry ``NAME.table.json``, or a partitioned table naming a folder of them."""
        self._draft("add")
        path = _table_name(name)
        if isinstance(obj, Table):
            local = os.path.join(self._staging_directory(), "tables", f"{len(self._tables)}.table.json")
            os.makedirs(os.path.dirname(local), exist_ok=True)
            with open(local, "w", encoding="utf-8") as handle:
                handle.write(obj.to_json())
            self._tables.append((path, local))
        elif isinstance(obj, PartitionedTable):
            self._partitioned_tables.append((path, obj.parts_path))
        else:
            raise ValueError(f"add: {type(obj).__name__} is not a Table or PartitionedTable")

    def _staging_directory(self) -> str:
        if self._staging is None:
            self._staging = tempfile.mkdtemp(prefix="arttui-artifact-")
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._staging, True)
        return self._staging

    def _remove_staging(self) -> None:
        if self._staging is not None:
            self._cleanup()
            self._staging = None

    def _content_arguments(self) -> Tuple[List[str], List[str]]:
        """The draft as ``arttui put``/``finish`` options and positional paths."""
        arguments = _cli.options("entry", [f"{path}={local}" for path, local in self._entries])
        arguments += _cli.options("table", [f"{name}={local}" for name, local in self._tables])
        arguments += _cli.options("partitioned-table", [f"{name}={folder}" for name, folder in self._partitioned_tables])
        arguments += _cli.options("reference", self._references)
        if self._reference_options.get("checksum") is False:
            arguments.append("--no-checksum")
        arguments += _cli.option("max-objects", self._reference_options.get("max_objects"))
        return arguments, list(self._directories)

    def _logged_name(self) -> str:
        return self._base_name or self.type

    def _log(
        self,
        project: str,
        run_id: Optional[str],
        aliases: Sequence[str],
        target: _cli.Target,
        entity: Optional[str] = None,
    ) -> "Artifact":
        """Stores the draft as a new version (or finds the equal newest one) and becomes it."""
        self._draft("log_artifact")
        path = Path(entity, project, self._logged_name())
        contents, directories = self._content_arguments()
        if not contents and not directories:
            raise ValueError(
                f"artifact {self._logged_name()!r} has no files to log: "
                "add some with add_file, add_dir, new_file, add_reference or add"
            )
        arguments = [f"--name={path.address}", f"--type={self.type}", *contents]
        arguments += _cli.option("description", self.description or None)
        if self._metadata:
            arguments.append(f"--metadata={_metadata_json(self._metadata)}")
        arguments += _cli.options("alias", _unique([*self.aliases, *aliases]))
        arguments += _cli.option("run", run_id)
        record = _cli.run(["put"], arguments, directories, target=target)
        self._target, self._entity = target, entity
        self._become(record)
        return self

    def _upsert(
        self, project: str, run_id: str, distributed_id: Optional[str], target: _cli.Target, entity: Optional[str]
    ) -> Dict[str, Any]:
        """Adds the draft's files to the pending version shared by parallel writers."""
        self._draft("upsert_artifact")
        path = Path(entity, project, self._logged_name())
        contents, directories = self._content_arguments()
        arguments = [f"--name={path.address}", f"--type={self.type}", "--upsert", f"--run={run_id}", *contents]
        arguments += _cli.option("distributed-id", distributed_id)
        self._target, self._entity = target, entity
        return _cli.run(["put"], arguments, directories, target=target)

    def _finish(
        self,
        project: str,
        run_id: str,
        aliases: Sequence[str],
        distributed_id: Optional[str],
        target: _cli.Target,
        entity: Optional[str],
    ) -> "Artifact":
        """Commits the pending version parallel writers filled, with this draft's files added."""
        self._draft("finish_artifact")
        path = Path(entity, project, self._logged_name())
        contents, directories = self._content_arguments()
        arguments = [f"--name={path.address}", f"--type={self.type}", f"--run={run_id}", *contents]
        arguments += _cli.option("distributed-id", distributed_id)
        record = _cli.run(["finish"], arguments, directories, target=target)
        description, metadata, wanted = self.description, copy.deepcopy(self._metadata), [*self.aliases, *aliases]
        self._target, self._entity = target, entity
        self._become(record)
        # `finish` commits files only; what the draft says about the version is saved on it next.
        if description:
            self.description = description
        if metadata:
            self._metadata = metadata
        self.aliases = _unique([*self.aliases, *wanted])
        self.save()
        return self

    # Changing a stored version ----------------------------------------------------------------------

    def save(self, project: Optional[str] = None, settings: Any = None) -> None:
        """Stores changed ``description``, ``metadata`` and ``aliases`` in one command.

        On a draft, logs it instead: from the active run, else from a run of job type ``auto``, as the
        reference does. ``latest`` and ``vN`` are kept by the store: removing them here is ignored.
        """
        if self._record is None:
            from . import sdk

            sdk.log_artifact_from_anywhere(self, project=project)
            return
        saved_description, saved_metadata, saved_aliases = self._saved
        arguments: List[str] = []
        if (self.description or "") != saved_description:
            arguments.append(f"--description={self.description or ''}")
        if self._metadata != saved_metadata:
            arguments.append(f"--metadata={_metadata_json(self._metadata)}")
        current = {alias.lower() for alias in self.aliases}
        before = {alias.lower() for alias in saved_aliases}
        arguments += _cli.options("alias", [a for a in _unique(self.aliases) if a.lower() not in before])
        arguments += _cli.options(
            "remove-alias", [a for a in saved_aliases if a.lower() not in current and not _MANAGED_ALIAS.match(a)]
        )
        if not arguments:
            # Nothing to store; a removed `latest` comes back, since the store keeps it.
            self.aliases = list(saved_aliases)
            return
        self._become(_cli.run(["edit"], arguments, [self.qualified_name], target=self._target))

    def delete(self, delete_aliases: bool = False) -> None:
        """Deletes the version, freeing bytes no other version uses.

        Refused (``CommError``) while it has hand-set aliases, unless ``delete_aliases``.
        """
        arguments = ["--delete-aliases"] if delete_aliases else []
        _cli.run(["rm"], arguments, [self.qualified_name], target=self._target)
        self._record = {**self._stored("delete"), "state": "deleted"}

    def download(self, root: Optional[str] = None, **_: Any) -> str:
        """Writes its files under ``root`` (default ``./artifacts/NAME:vN``), every byte checked; returns the directory."""
        result = _cli.run(["get"], _cli.option("root", root), [self.qualified_name], target=self._target)
        return str(result["root"])

    def checkout(self, root: Optional[str] = None) -> str:
        """Makes ``root`` hold exactly its files: downloads them and deletes any other file there."""
        root = root or os.path.join("artifacts", self.name)
        wanted = {file.name for file in self.files()}
        if os.path.isdir(root):
            for directory, subdirectories, names in os.walk(root, topdown=False):
                for file_name in names:
                    full = os.path.join(directory, file_name)
                    if os.path.relpath(full, root).replace(os.sep, "/") not in wanted:
                        os.remove(full)
                for subdirectory in subdirectories:
                    full = os.path.join(directory, subdirectory)
                    if os.path.isdir(full) and not os.path.islink(full) and not os.listdir(full):
                        os.rmdir(full)
        return self.download(root)

    def verify(self, root: Optional[str] = None) -> None:
        """Checks that ``root`` holds exactly its files, hashing each; raises ``ValueError`` naming every difference."""
        root = root or os.path.join("artifacts", self.name)
        result = _cli.run(
            ["verify"], [f"--root={root}"], [self.qualified_name], target=self._target, accepted_statuses=(0, 1)
        )
        if not result.get("matches"):
            problems = [f"missing {path}" for path in result.get("missing", [])]
            problems += [f"changed {path}" for path in result.get("changed", [])]
            problems += [f"not in the artifact {path}" for path in result.get("extra", [])]
            raise ValueError(f"{result['root']} differs from {result['version']}: " + ", ".join(problems))

    def _download_file(self, path: str, root: Optional[str]) -> str:
        result = _cli.run(
            ["get"], [*_cli.option("root", root), f"--path={path}"], [self.qualified_name], target=self._target
        )
        return os.path.join(str(result["root"]), *path.split("/"))

    def files(self, names: Optional[Sequence[str]] = None, per_page: int = 50) -> List[ArtifactFile]:
        """Its files (path, size, digest), optionally only those named; ``download()`` fetches one."""
        record = _cli.run(["show"], ["--files"], [self.qualified_name], target=self._target)
        files = [
            ArtifactFile(entry["path"], int(entry["size"]), entry["digest"], self) for entry in record["files"]
        ]
        if names is not None:
            wanted = set(names)
            files = [file for file in files if file.name in wanted]
        return files

    def get_entry(self, name: str) -> ArtifactFile:
        """The file ``name`` (``.download()`` writes only it); ``KeyError`` if the version has no such file."""
        for file in self.files([name]):
            return file
        raise KeyError(f"Path not contained in artifact {self.qualified_name}: {name}")

    def get_path(self, name: str) -> ArtifactFile:
        """The same as ``get_entry`` (the reference's older name)."""
        return self.get_entry(name)

    def __getitem__(self, name: str) -> Table:
        """``artifact[name]``: the same as ``get(name)``."""
        return self.get(name)

    def get(self, name: str) -> Table:
        """The table entry ``name`` (or a partitioned table's rows), read through the store."""
        result = _cli.run(
            ["show"], [f"--table={_table_name(name)}", "--limit=2147483647"], [self.qualified_name], target=self._target
        )
        return Table(columns=result["columns"], data=result["data"])

    def logged_by(self) -> Optional["PublicRun"]:
        """The run that logged it, or ``None``."""
        from .public import Run

        run_id = self._stored("logged_by").get("loggedBy")
        return None if run_id is None else Run._load(run_id, self._target, self._entity)

    def used_by(self) -> List["PublicRun"]:
        """The runs that used it."""
        from .public import Run

        graph = _cli.run(["lineage"], ["--up=0", "--down=1"], [self.qualified_name], target=self._target)
        consumers = {edge["to"] for edge in graph["edges"] if edge["from"] == graph["root"]}
        return [
            Run._load(node["id"], self._target, self._entity)
            for node in graph["nodes"]
            if node["kind"] == "run" and node["key"] in consumers
        ]

    def __repr__(self) -> str:
        if self._record is None:
            return f"<Artifact draft {self._base_name or '(unnamed)'} type={self.type}>"
        return f"<Artifact {self.qualified_name} type={self.type}>"


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_PATTERN.match(name) or len(name) > 128:
        raise ValueError(
            f"artifact name {name!r} may only contain letters, digits, '-', '_' and '.' (at most 128 characters)"
        )


def _artifact_path(name: str) -> str:
    path = name.replace(os.sep, "/")
    if path.startswith("/") or ".." in path.split("/") or path in ("", "."):
        raise ValueError(f"{name!r} is not a relative path inside the artifact")
    if "=" in path:
        raise ValueError(f"{name!r}: a path inside an arttui artifact cannot contain '='")
    return path


def _table_name(name: str) -> str:
    """A table's name inside the artifact: the suffix is the store's to add, and a name that already has
    it means the same entry, as in the reference."""
    path = _artifact_path(name)
    for suffix in (".table.json", ".partitioned-table.json"):
        if path.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)]
    return path


def _without_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_nan(item) for item in value]
    return value


def _checked_metadata(metadata: Any) -> Dict[str, Any]:
    if not isinstance(metadata, dict):
        raise ValueError(f"metadata must be a dict, not {type(metadata).__name__}")
    _metadata_json(metadata)
    return metadata


def _metadata_json(metadata: Dict[str, Any]) -> str:
    try:
        return json.dumps(_without_nan(metadata), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"metadata is not a JSON object: {error}") from None


def _unique(aliases: Sequence[str]) -> List[str]:
    seen, result = set(), []
    for alias in aliases:
        if alias.lower() not in seen:
            seen.add(alias.lower())
            result.append(alias)
    return result
