#!/usr/bin/env python3
"""arttui benchmark harness (issue 5).

Generates data sets deterministically from a seed, times arttui and its peers
(restic, borg, optionally DVC, plus the cp/find baselines) on the same files in
the same run, alternating tools within each repetition, checks every restore
byte for byte against its source, and prints one table per data set plus the
ratios against the targets of issue 5.

Python 3.11, standard library only. See BENCHMARKS.md at the repository root.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time

KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * MIB

FULL_SIZES = {
    "many-small": {"files": 20_000, "min": 1 * KIB, "max": 16 * KIB},
    "few-large": {"files": 8, "size": 64 * MIB},
    "mixed": {"files": 2_000, "total": 500 * MIB},
}
DATASETS = list(FULL_SIZES)
PEERS = ["restic", "borg"]
RSS_TARGET_MIB = 150.0
TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------- data


class Content:
    """Deterministic content: random bytes, or text-like (words, numbers, CSV-ish lines)."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:vocabulary")
        syllables = [a + b for a in "bcdfghjklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
        words = []
        for _ in range(4000):
            words.append("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
        keys = words[:60]
        weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))
        tokens: list[str] = []
        for _ in range(65536):
            roll = rng.random()
            if roll < 0.40:
                token = rng.choices(words, cum_weights=weights)[0] + " "
            elif roll < 0.62:
                token = str(rng.randint(0, 99999)) + ","
            elif roll < 0.72:
                token = f"{rng.random() * 1000:.4f},"
            elif roll < 0.80:
                token = f"{rng.choice(keys)}={rng.randint(0, 9999)} "
            elif roll < 0.86:
                token = (f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                         f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} ")
            elif roll < 0.96:
                token = rng.choices(words, cum_weights=weights)[0] + "\n"
            else:
                token = f"{rng.random():.6f}\n"
            tokens.append(token)
        # Each table entry is a phrase of three tokens (~21 bytes): one table lookup per 2 random
        # bytes keeps generation fast in pure Python while files stay distinct and word-like.
        self.table = [(tokens[rng.randrange(65536)] + tokens[rng.randrange(65536)]
                       + tokens[rng.randrange(65536)]).encode() for _ in range(65536)]

    @staticmethod
    def random_bytes(rng: random.Random, size: int) -> bytes:
        return rng.randbytes(size)

    def text_bytes(self, rng: random.Random, size: int) -> bytes:
        parts = []
        have = 0
        getter = self.table.__getitem__
        while have < size:
            need = max(16, (size - have) // 18 + 8)  # phrases average ~21 bytes; 2 index bytes each
            block = b"".join(map(getter, memoryview(rng.randbytes(need * 2)).cast("H")))
            parts.append(block)
            have += len(block)
        return b"".join(parts)[:size]

    def make(self, kind: str, rng: random.Random, size: int) -> bytes:
        return self.text_bytes(rng, size) if kind == "text" else self.random_bytes(rng, size)


def scaled_spec(name: str, scale: float) -> dict:
    spec = dict(FULL_SIZES[name])
    if name == "few-large":
        spec["size"] = max(64 * KIB, int(spec["size"] * scale))
    else:
        spec["files"] = max(20, int(round(spec["files"] * scale)))
        if "total" in spec:
            spec["total"] = max(MIB, int(spec["total"] * scale))
    return spec


def draw_size(name: str, spec: dict, rng: random.Random) -> int:
    if name == "many-small":
        return rng.randint(spec["min"], spec["max"])
    if name == "few-large":
        return spec["size"]
    # mixed: log-normal with sigma 1.5, mean = total / files
    sigma = 1.5
    mean = spec["total"] / spec["files"]
    mu = __import__("math").log(mean) - sigma * sigma / 2
    return max(256, min(int(rng.lognormvariate(mu, sigma)), 64 * MIB))


def draw_kind(name: str, rng: random.Random) -> str:
    if name == "many-small":
        return "text"
    if name == "few-large":
        return "random"
    return "random" if rng.random() < 0.5 else "text"


def relpath_for(name: str, index: int, new: bool = False) -> str:
    prefix = "new-" if new else ""
    if name == "many-small":
        return f"d{index // 500:03d}/{prefix}f{index:05d}.txt"
    if name == "few-large":
        return f"{prefix}large-{index}.bin"
    return f"part{index % 7}/sub{index % 23:02d}/{prefix}item{index:04d}.dat"


def write_file(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def generate_dataset(name: str, seed: int, scale: float, directory: str, content: Content) -> dict:
    """Writes v0 of a data set into directory/v0 with a manifest; reuses it when already complete."""
    marker = os.path.join(directory, "COMPLETE")
    manifest_path = os.path.join(directory, "manifest.json")
    if os.path.exists(marker):
        with open(manifest_path) as handle:
            return json.load(handle)
    shutil.rmtree(directory, ignore_errors=True)
    spec = scaled_spec(name, scale)
    rng = random.Random(f"{seed}:{name}:v0")
    kinds: dict[str, str] = {}
    total = 0
    started = time.perf_counter()
    for index in range(spec["files"]):
        rel = relpath_for(name, index)
        size = draw_size(name, spec, rng)
        kind = draw_kind(name, rng)
        file_rng = random.Random(f"{seed}:{name}:v0:{index}")
        write_file(os.path.join(directory, "v0", rel), content.make(kind, file_rng, size))
        kinds[rel] = kind
        total += size
    manifest = {"name": name, "seed": seed, "scale": scale, "spec": spec, "kinds": kinds, "bytes": total}
    with open(manifest_path, "w") as handle:
        json.dump(manifest, handle)
    open(marker, "w").close()
    log(f"  generated {name}: {len(kinds)} files, {total / MIB:.1f} MiB in {time.perf_counter() - started:.1f} s")
    return manifest


def derive_v1(manifest: dict, seed: int, content: Content, live: str) -> dict:
    """Turns the v0 tree at `live` into v1, in place, deterministically. Returns a summary of changes."""
    name = manifest["name"]
    spec = manifest["spec"]
    kinds = manifest["kinds"]
    rng = random.Random(f"{seed}:{name}:v1")
    files = sorted(kinds)
    order = files[:]
    rng.shuffle(order)
    n = len(files)
    if name == "few-large":
        n_deleted, n_replaced, n_edited, n_added = 0, 1, 4, 1
    else:
        n_deleted, n_replaced = round(0.02 * n), round(0.05 * n)
        n_edited, n_added = round(0.10 * n), round(0.05 * n)
    deleted = order[:n_deleted]
    replaced = order[n_deleted:n_deleted + n_replaced]
    edited = order[n_deleted + n_replaced:n_deleted + n_replaced + n_edited]
    for rel in deleted:
        os.unlink(os.path.join(live, rel))
    for rel in replaced:
        size = draw_size(name, spec, rng)
        write_file(os.path.join(live, rel), content.make(kinds[rel], random.Random(f"{seed}:{name}:r:{rel}"), size))
    edit_kinds = {"overwrite": 0, "insert": 0, "append": 0}
    for number, rel in enumerate(edited):
        path = os.path.join(live, rel)
        size = os.path.getsize(path)
        edit_rng = random.Random(f"{seed}:{name}:e:{rel}")
        mode = ("overwrite", "insert", "append")[number % 3]
        edit_kinds[mode] += 1
        if mode == "overwrite":
            patch = content.make(kinds[rel], edit_rng, 100)
            with open(path, "r+b") as handle:
                handle.seek(max(0, size // 2 - 50))
                handle.write(patch)
        elif mode == "insert":
            patch = content.make(kinds[rel], edit_rng, 100)
            with open(path, "rb") as handle:
                data = handle.read()
            with open(path, "wb") as handle:
                handle.write(data[:size // 2] + patch + data[size // 2:])
        else:
            patch = content.make(kinds[rel], edit_rng, max(1, size // 100))
            with open(path, "ab") as handle:
                handle.write(patch)
    for index in range(n_added):
        rel = relpath_for(name, len(files) + index, new=True)
        size = draw_size(name, spec, rng)
        kind = draw_kind(name, rng)
        write_file(os.path.join(live, rel), content.make(kind, random.Random(f"{seed}:{name}:a:{index}"), size))
    return {"deleted": len(deleted), "replaced": len(replaced), "edited": edit_kinds, "added": n_added}


def tree_files(root: str) -> dict[str, int]:
    found = {}
    for directory, _, names in os.walk(root):
        for entry in names:
            path = os.path.join(directory, entry)
            if os.path.islink(path) or not os.path.isfile(path):
                raise BenchError(f"unexpected non-regular file in restore: {path}")
            found[os.path.relpath(path, root)] = os.path.getsize(path)
    return found


def verify_tree(source: str, restored: str, label: str) -> None:
    """Byte-for-byte comparison of two trees; raises BenchError on any difference."""
    expected = tree_files(source)
    if not os.path.isdir(restored):
        raise BenchError(f"{label}: restore directory {restored} does not exist")
    got = tree_files(restored)
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing or extra:
        raise BenchError(f"{label}: file sets differ: {len(missing)} missing (e.g. {missing[:3]}), "
                         f"{len(extra)} extra (e.g. {extra[:3]})")
    for rel, size in expected.items():
        if got[rel] != size:
            raise BenchError(f"{label}: {rel} has {got[rel]} bytes, expected {size}")
        with open(os.path.join(source, rel), "rb") as a, open(os.path.join(restored, rel), "rb") as b:
            while True:
                block_a = a.read(4 * MIB)
                block_b = b.read(4 * MIB)
                if block_a != block_b:
                    raise BenchError(f"{label}: {rel} differs from the source")
                if not block_a:
                    break


# --------------------------------------------------------------------------- measuring


def du_bytes(path: str) -> int:
    out = subprocess.run(["du", "-sb", path], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0])


def sync() -> None:
    os.sync()


def warm(tree: str) -> None:
    """Reads every file of a tree so the page cache holds it."""
    for directory, _, names in os.walk(tree):
        for entry in names:
            with open(os.path.join(directory, entry), "rb") as handle:
                while handle.read(8 * MIB):
                    pass


class Runner:
    def __init__(self, logdir: str) -> None:
        self.logdir = logdir
        self.counter = 0
        os.makedirs(logdir, exist_ok=True)

    def run(self, cmd: list[str], *, cwd: str | None = None, env: dict | None = None,
            timed: bool = True, check: bool = True) -> dict:
        """Runs a command; returns seconds, peak RSS of the child tree (MiB), stdout and stderr.

        Peak RSS comes from GNU time's %M (ru_maxrss of the command and the descendants it waited
        for). A direct child of this Python process would report Python's own high-water mark too
        (Linux carries it across fork and exec), hence the small launcher; without /usr/bin/time,
        wait4()'s figure is used and is an upper bound. Dirty pages are flushed (untimed) first.
        """
        if timed:
            sync()
        self.counter += 1
        out_path = os.path.join(self.logdir, f"{self.counter:05d}.out")
        err_path = os.path.join(self.logdir, f"{self.counter:05d}.err")
        rss_path = os.path.join(self.logdir, f"{self.counter:05d}.rss")
        launcher = [TIME_BIN, "-q", "-f", "%M", "-o", rss_path] if TIME_BIN else []
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen([*launcher, *cmd], cwd=cwd, env=env, stdout=out, stderr=err,
                                       stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        rss_kib = usage.ru_maxrss
        if TIME_BIN:
            try:
                with open(rss_path) as handle:
                    rss_kib = int(handle.read().split()[-1])
            except (OSError, ValueError, IndexError):
                pass
        with open(out_path, "rb") as handle:
            stdout = handle.read().decode(errors="replace")
        with open(err_path, "rb") as handle:
            stderr = handle.read().decode(errors="replace")
        if check and process.returncode != 0:
            raise BenchError(f"command failed ({process.returncode}): {' '.join(cmd)}\n"
                             f"stdout: {stdout[-2000:]}\nstderr: {stderr[-2000:]}")
        return {"seconds": seconds, "rss_mib": rss_kib / 1024.0, "stdout": stdout, "stderr": stderr,
                "returncode": process.returncode}


class Results:
    def __init__(self) -> None:
        self.ops: dict[str, dict[str, dict[str, dict]]] = {}  # ds -> op -> tool -> {seconds: [], rss: []}
        self.sizes: dict[str, dict[str, dict[str, list[int]]]] = {}  # ds -> tool -> {v0: [], v1: []}
        self.notes: list[str] = []
        self.bugs: list[str] = []
        self.extra: dict[str, dict] = {}

    def add(self, ds: str, op: str, tool: str, result: dict) -> None:
        cell = self.ops.setdefault(ds, {}).setdefault(op, {}).setdefault(tool, {"seconds": [], "rss_mib": []})
        cell["seconds"].append(result["seconds"])
        cell["rss_mib"].append(result["rss_mib"])

    def add_size(self, ds: str, tool: str, key: str, value: int) -> None:
        self.sizes.setdefault(ds, {}).setdefault(tool, {"v0": [], "v1": []})[key].append(value)

    def median(self, ds: str, op: str, tool: str) -> float | None:
        cell = self.ops.get(ds, {}).get(op, {}).get(tool)
        return statistics.median(cell["seconds"]) if cell and cell["seconds"] else None

    def peak(self, ds: str, op: str, tool: str) -> float | None:
        cell = self.ops.get(ds, {}).get(op, {}).get(tool)
        return max(cell["rss_mib"]) if cell and cell["rss_mib"] else None

    def size_v0(self, ds: str, tool: str) -> float | None:
        values = self.sizes.get(ds, {}).get(tool, {}).get("v0")
        return statistics.median(values) / MIB if values else None

    def growth(self, ds: str, tool: str) -> float | None:
        entry = self.sizes.get(ds, {}).get(tool)
        if not entry or not entry["v1"]:
            return None
        return statistics.median(b - a for a, b in zip(entry["v0"], entry["v1"])) / MIB


# --------------------------------------------------------------------------- tools


class Tools:
    """Commands of every tool for one repetition of one data set."""

    def __init__(self, args: argparse.Namespace, rep_dir: str, ds: str) -> None:
        self.arttui = os.path.abspath(args.arttui)
        self.rep = rep_dir
        self.ds = ds
        self.store = os.path.join(rep_dir, "arttui-store")
        self.cache = os.path.join(rep_dir, "arttui-cache")
        self.restic_repo = os.path.join(rep_dir, "restic-repo")
        self.borg_repo = os.path.join(rep_dir, "borg-repo")
        self.base_env = dict(os.environ)
        self.restic_env = dict(self.base_env, RESTIC_REPOSITORY=self.restic_repo, RESTIC_PASSWORD="arttui-bench",
                               RESTIC_CACHE_DIR=os.path.join(rep_dir, "restic-cache"))
        self.borg_env = dict(self.base_env, BORG_PASSPHRASE="", BORG_BASE_DIR=os.path.join(rep_dir, "borg-base"),
                             BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK="yes",
                             BORG_RELOCATED_REPO_ACCESS_IS_OK="yes")

    def arttui_cmd(self, *rest: str) -> list[str]:
        return [self.arttui, *rest, "--store", self.store, "--cache-dir", self.cache]

    def filling_get(self, *rest: str) -> list[str]:
        """A get that fills the cache: `--cache always` where the binary has the option (issue 15),
        which older binaries did on every get."""
        return self.arttui_cmd("get", *rest, *(["--cache", "always"] if arttui_has_cache_option(self.arttui) else []))


_CACHE_OPTION: dict[str, bool] = {}


def arttui_has_cache_option(arttui: str) -> bool:
    if arttui not in _CACHE_OPTION:
        help_text = subprocess.run([arttui, "get", "--help"], capture_output=True, text=True).stdout
        _CACHE_OPTION[arttui] = "--cache <" in help_text
    return _CACHE_OPTION[arttui]


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception as error:  # noqa: BLE001 - a version string is informative only
        return f"unknown ({error})"


def install_peers() -> None:
    log("installing peers: apt-get install -y restic borgbackup")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "restic", "borgbackup", "time"], check=True, env=env)


# --------------------------------------------------------------------------- one data set


def bench_dataset(args, ds: str, manifest: dict, data_dir: str, content: Content, runner: Runner,
                  results: Results, peers: list[str]) -> None:
    seed = args.seed
    put_tools = ["arttui", *peers, "cp -a + sync"]
    get_tools = ["arttui", *peers, "cp -a"]
    for rep in range(args.reps):
        log(f"[{ds}] repetition {rep + 1}/{args.reps}")
        rep_dir = os.path.join(args.workdir, "run", ds)
        shutil.rmtree(rep_dir, ignore_errors=True)
        os.makedirs(rep_dir)
        tools = Tools(args, rep_dir, ds)
        live = os.path.join(rep_dir, "live")
        subprocess.run(["cp", "-a", os.path.join(data_dir, "v0"), live], check=True)
        # Untimed setup of each tool's repository.
        if "restic" in peers:
            runner.run(["restic", "init", "--repository-version", "2"], env=tools.restic_env, timed=False)
        if "borg" in peers:
            runner.run(["borg", "init", "--encryption=none", tools.borg_repo], env=tools.borg_env, timed=False)
        warm(live)

        def rotated(names: list[str]) -> list[str]:
            shift = rep % len(names)
            return names[shift:] + names[:shift]

        versions: dict[str, str] = {}
        for phase in ("v0", "v1"):
            if phase == "v1":
                summary = derive_v1(manifest, seed, content, live)
                if rep == 0:
                    results.extra.setdefault("v1_changes", {})[ds] = summary
                warm(live)
            op = f"put {phase}"
            for tool in rotated(put_tools):
                result = put(tool, tools, live, phase, runner)
                results.add(ds, op, tool, result)
                if tool == "arttui":
                    parsed = parse_json(result["stdout"], "arttui put --json")
                    versions[phase] = version_name(parsed)
                    if not parsed.get("created", True):
                        results.bugs.append(f"{ds} {op}: arttui put reported created=false for a changed tree")
            for tool, path in store_dirs(tools, peers).items():
                results.add_size(ds, tool, phase, du_bytes(path))
            log(f"  {op}: " + ", ".join(f"{t} {results.ops[ds][op][t]['seconds'][-1]:.2f}s" for t in put_tools))

        # Unchanged tree again: arttui only, against a bare stat walk.
        op = "put v1 unchanged"
        for tool in rotated(["arttui", "stat walk (find)"]):
            if tool == "arttui":
                result = runner.run(tools.arttui_cmd("put", live, "-n", f"bench/{ds}", "--json"))
                parsed = parse_json(result["stdout"], "arttui put --json (unchanged)")
                if parsed.get("created"):
                    results.bugs.append(f"{ds}: arttui put of an unchanged tree created a new version "
                                        f"({version_name(parsed)})")
            else:
                result = runner.run(["find", live, "-printf", "%s %T@\\n"])
            results.add(ds, op, tool, result)
        log(f"  {op}: " + ", ".join(f"{t} {s['seconds'][-1]:.2f}s" for t, s in results.ops[ds][op].items()))

        # Restore v1 into an empty folder; the arttui cache starts empty.
        op = "get v1 (empty folder)"
        shutil.rmtree(tools.cache, ignore_errors=True)
        for tool in rotated(get_tools):
            target = os.path.join(rep_dir, f"restore-{tool.replace(' ', '')}")
            shutil.rmtree(target, ignore_errors=True)
            result, restored_root = get(tool, tools, live, target, versions.get("v1", "latest"), runner)
            results.add(ds, op, tool, result)
            verify_tree(live, restored_root, f"{ds} {op} {tool} (rep {rep + 1})")
            shutil.rmtree(target, ignore_errors=True)
        log(f"  {op}: " + ", ".join(f"{t} {s['seconds'][-1]:.2f}s" for t, s in results.ops[ds][op].items()))

        # The same get with --cache always into an empty cache: what filling the cache costs on this
        # file system, and the fill the hardlink case below needs (a default get fills it only where
        # a reflink clone makes that free). Older binaries filled it on every get, above.
        if arttui_has_cache_option(tools.arttui):
            op = "get v1, --cache always"
            shutil.rmtree(tools.cache, ignore_errors=True)
            target = os.path.join(rep_dir, "restore-always")
            result = runner.run(tools.filling_get(f"bench/{ds}:{versions.get('v1', 'latest')}", "--root", target,
                                                  "--json"))
            results.add(ds, op, "arttui", result)
            verify_tree(live, target, f"{ds} {op} (rep {rep + 1})")
            shutil.rmtree(target, ignore_errors=True)
            log(f"  {op}: arttui {result['seconds']:.2f}s")

        # A fully cached version with --link hardlink, against cp -al.
        op = "get v1 cached, hardlink"
        for tool in rotated(["arttui", "cp -al"]):
            target = os.path.join(rep_dir, f"link-{tool.replace(' ', '')}")
            shutil.rmtree(target, ignore_errors=True)
            if tool == "arttui":
                result = runner.run(tools.arttui_cmd("get", f"bench/{ds}:{versions.get('v1', 'latest')}",
                                                     "--root", target, "--link", "hardlink", "--json"))
                report = parse_json(result["stdout"], "arttui get --json")
                if report.get("fromStore", 0) or report.get("fromCache", -1) != report.get("files"):
                    results.bugs.append(f"{ds}: hardlink get of a cached version took {report.get('fromStore')} "
                                        f"files from the store, {report.get('fromCache')} from the cache "
                                        f"of {report.get('files')}")
            else:
                result = runner.run(["cp", "-al", live, target])
            results.add(ds, op, tool, result)
            verify_tree(live, target, f"{ds} {op} {tool} (rep {rep + 1})")
            shutil.rmtree(target, ignore_errors=True)
        log(f"  {op}: " + ", ".join(f"{t} {s['seconds'][-1]:.2f}s" for t, s in results.ops[ds][op].items()))
        if not args.keep:
            shutil.rmtree(rep_dir, ignore_errors=True)


def parse_json(text: str, what: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BenchError(f"{what} did not print JSON ({error}): {text[:500]!r}") from error


def version_name(parsed: dict) -> str:
    version = parsed.get("version", parsed)
    if isinstance(version, dict):
        for key in ("versionName", "version", "name"):
            if isinstance(version.get(key), str) and version[key].startswith("v"):
                return version[key]
        if isinstance(version.get("number"), int):
            return f"v{version['number']}"
    if isinstance(version, str):
        return version.split(":")[-1]
    if isinstance(version, int):
        return f"v{version}"
    return "latest"


def store_dirs(tools: Tools, peers: list[str]) -> dict[str, str]:
    dirs = {"arttui": tools.store}
    if "restic" in peers:
        dirs["restic"] = tools.restic_repo
    if "borg" in peers:
        dirs["borg"] = tools.borg_repo
    return dirs


def put(tool: str, tools: Tools, live: str, phase: str, runner: Runner) -> dict:
    if tool == "arttui":
        return runner.run(tools.arttui_cmd("put", live, "-n", f"bench/{tools.ds}", "--json"))
    if tool == "restic":
        return runner.run(["restic", "backup", "--host", "bench", "-q", live], env=tools.restic_env)
    if tool == "borg":
        return runner.run(["borg", "create", "--compression", "lz4", f"{tools.borg_repo}::{phase}", "."],
                          cwd=live, env=tools.borg_env)
    if tool == "cp -a + sync":
        destination = os.path.join(tools.rep, f"cp-{phase}")
        shutil.rmtree(destination, ignore_errors=True)
        return runner.run(["sh", "-c", 'cp -a "$1" "$2" && sync', "sh", live, destination])
    raise BenchError(f"unknown tool {tool}")


def get(tool: str, tools: Tools, live: str, target: str, version: str, runner: Runner) -> tuple[dict, str]:
    if tool == "arttui":
        result = runner.run(tools.arttui_cmd("get", f"bench/{tools.ds}:{version}", "--root", target, "--json"))
        return result, target
    if tool == "restic":
        result = runner.run(["restic", "restore", "latest", "--host", "bench", "--target", target],
                            env=tools.restic_env)
        return result, os.path.join(target, live.lstrip("/"))
    if tool == "borg":
        os.makedirs(target)
        return runner.run(["borg", "extract", f"{tools.borg_repo}::v1"], cwd=target, env=tools.borg_env), target
    if tool == "cp -a":
        return runner.run(["cp", "-a", os.path.join(tools.rep, "cp-v1"), target]), target
    raise BenchError(f"unknown tool {tool}")


# --------------------------------------------------------------------------- arttui-only checks


def bench_cache(args, content: Content, runner: Runner, results: Results) -> None:
    count = args.cache_files or max(100, int(round(100_000 * args.scale)))
    log(f"[cache] {count} tiny cached files")
    base = os.path.join(args.workdir, "run", "cache")
    shutil.rmtree(base, ignore_errors=True)
    tree = os.path.join(base, "tree")
    for index in range(count):
        rng = random.Random(f"{args.seed}:tiny:{index}")
        data = f"file {index}\n".encode() + content.text_bytes(rng, rng.randint(32, 480))
        write_file(os.path.join(tree, f"t{index // 1000:03d}", f"f{index:06d}.txt"), data)
    tools = Tools(args, base, "cache")
    record: dict = {"files": count, "put": [], "fill": [], "size": [], "cleanup": [], "unlinked": [], "wait": []}
    result = runner.run(tools.arttui_cmd("put", tree, "-n", "bench/tiny", "--json"))
    record["put"].append([result["seconds"], result["rss_mib"]])
    for rep in range(args.cache_reps):
        target = os.path.join(base, f"root{rep}")
        result = runner.run(tools.filling_get("bench/tiny", "--root", target, "--json"))
        record["fill"].append([result["seconds"], result["rss_mib"]])
        if rep == 0:
            verify_tree(tree, target, "cache case get")
        shutil.rmtree(target, ignore_errors=True)
        result = runner.run(tools.arttui_cmd("cache", "size", "--json"))
        record["size"].append([result["seconds"], result["rss_mib"]])
        report = parse_json(result["stdout"], "arttui cache size --json")
        if report.get("files") != count:
            results.bugs.append(f"cache size reported {report.get('files')} files after a get of {count} files")
        result = runner.run(tools.arttui_cmd("cache", "cleanup", "0", "--json"))
        record["cleanup"].append([result["seconds"], result["rss_mib"]])
        cleaned = parse_json(result["stdout"], "arttui cache cleanup --json")
        if cleaned.get("removedFiles") != count or cleaned.get("remainingFiles") != 0:
            results.bugs.append(f"cache cleanup 0 over {count} files: {cleaned}")
        # A big cleanup unlinks in a background process: time until it is done, and check that it was.
        started = time.monotonic()
        while (subprocess.run(["pgrep", "-f", "cache unlink-pending"], capture_output=True).returncode == 0
               and time.monotonic() - started < 300):
            time.sleep(0.02)
        record["unlinked"].append([record["cleanup"][-1][0] + time.monotonic() - started, 0.0])
        objects = os.path.join(tools.cache, "obj")
        left = sum(len(files) for _, _, files in os.walk(objects))
        if left:
            results.bugs.append(f"{left} evicted files still on disk after the background unlinker finished")
        # The same cleanup unlinking in the foreground (--wait), after filling the cache again.
        result = runner.run(tools.filling_get("bench/tiny", "--root", target, "--json"))
        shutil.rmtree(target, ignore_errors=True)
        result = runner.run(tools.arttui_cmd("cache", "cleanup", "0", "--wait", "--json"))
        record["wait"].append([result["seconds"], result["rss_mib"]])
        log(f"  rep {rep + 1}: fill {record['fill'][-1][0]:.2f}s, size {record['size'][-1][0] * 1000:.0f} ms, "
            f"cleanup {record['cleanup'][-1][0]:.2f}s (unlinked after {record['unlinked'][-1][0]:.2f}s), "
            f"cleanup --wait {record['wait'][-1][0]:.2f}s")
    results.extra["cache"] = record
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


def bench_big_file(args, runner: Runner, results: Results) -> None:
    size = int(args.big_file_gib * GIB)
    log(f"[big file] {size / GIB:.2f} GiB")
    base = os.path.join(args.workdir, "run", "big")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    source = os.path.join(args.workdir, "data", f"big-{args.seed}-{size}.bin")
    if not os.path.exists(source) or os.path.getsize(source) != size:
        rng = random.Random(f"{args.seed}:big")
        started = time.perf_counter()
        with open(source + ".tmp", "wb") as handle:
            left = size
            while left:
                block = min(left, 64 * MIB)
                handle.write(rng.randbytes(block))
                left -= block
        os.rename(source + ".tmp", source)
        log(f"  generated in {time.perf_counter() - started:.1f} s")
    tools = Tools(args, base, "big")
    put_result = runner.run(tools.arttui_cmd("put", source, "-n", "bench/big", "--json"))
    target = os.path.join(base, "restore")
    get_result = runner.run(tools.arttui_cmd("get", "bench/big", "--root", target, "--json"))
    restored = os.path.join(target, os.path.basename(source))
    with open(source, "rb") as a, open(restored, "rb") as b:
        while True:
            block_a, block_b = a.read(16 * MIB), b.read(16 * MIB)
            if block_a != block_b:
                raise BenchError("big file: restored bytes differ from the source")
            if not block_a:
                break
    results.extra["big_file"] = {
        "bytes": size,
        "put": {"seconds": put_result["seconds"], "rss_mib": put_result["rss_mib"]},
        "get": {"seconds": get_result["seconds"], "rss_mib": get_result["rss_mib"]},
        "store_mib": du_bytes(tools.store) / MIB,
    }
    log(f"  put {put_result['seconds']:.1f}s {put_result['rss_mib']:.0f} MiB; "
        f"get {get_result['seconds']:.1f}s {get_result['rss_mib']:.0f} MiB")
    shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------- report


def fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for number, row in enumerate([headers, *rows]):
        cells = [str(cell).rjust(widths[i]) if i in right else str(cell).ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def dataset_table(results: Results, ds: str, manifest: dict) -> str:
    rows = []
    for op, tools in results.ops.get(ds, {}).items():
        for tool, cell in tools.items():
            seconds = cell["seconds"]
            store = ""
            if op == "put v0" and results.size_v0(ds, tool) is not None:
                store = f"{results.size_v0(ds, tool):.1f}"
            elif op == "put v1" and results.growth(ds, tool) is not None:
                store = f"+{results.growth(ds, tool):.1f}"
            rows.append([op, tool, fmt_s(statistics.median(seconds)),
                         f"{fmt_s(min(seconds))}-{fmt_s(max(seconds))}", f"{max(cell['rss_mib']):.1f}", store])
    title = (f"== {ds}: {len(manifest['kinds'])} files, {manifest['bytes'] / MIB:.1f} MiB (v0); "
             f"reps={len(next(iter(next(iter(results.ops[ds].values())).values()))['seconds'])}")
    body = table(["operation", "tool", "median s", "min-max s", "peak RSS MiB", "store / growth MiB"], rows,
                 {2, 3, 4, 5})
    return title + "\n" + body


def ratio_lines(results: Results, ds: str, peers: list[str]) -> list[tuple[str, float | None, float, str]]:
    """(description, measured factor, limit, detail) for each target on one data set."""
    checks = []
    med = results.median
    for phase in ("v0", "v1"):
        op = f"put {phase}"
        a = med(ds, op, "arttui")
        if "borg" in peers:
            b = med(ds, op, "borg")
            checks.append((f"{op}: arttui / borg", a / b if a and b else None, 0.5, f"{fmt_s(a)} s vs {fmt_s(b)} s"))
        c = med(ds, op, "cp -a + sync")
        checks.append((f"{op}: arttui / cp -a+sync", a / c if a and c else None, 1.5, f"{fmt_s(a)} s vs {fmt_s(c)} s"))
    if "restic" in peers:
        a, r = results.growth(ds, "arttui"), results.growth(ds, "restic")
        factor = (a / r if r else None) if a is not None and r is not None else None
        checks.append(("v1 growth: arttui / restic", factor, 1.0, f"{a:.1f} MiB vs {r:.1f} MiB" if factor else "-"))
    a, w = med(ds, "put v1 unchanged", "arttui"), med(ds, "put v1 unchanged", "stat walk (find)")
    checks.append(("unchanged put: arttui / stat walk", a / w if a and w else None, 3.0,
                   f"{fmt_s(a)} s vs {fmt_s(w)} s"))
    op = "get v1 (empty folder)"
    peer_times = {p: med(ds, op, p) for p in peers if med(ds, op, p) is not None}
    if peer_times:
        fastest = min(peer_times, key=peer_times.get)
        a = med(ds, op, "arttui")
        checks.append((f"get v1: arttui / fastest peer ({fastest})", a / peer_times[fastest] if a else None, 0.7,
                       f"{fmt_s(a)} s vs {fmt_s(peer_times[fastest])} s"))
        c = med(ds, op, "cp -a")
        checks.append(("get v1: arttui / cp -a", a / c if a and c else None, 1.5, f"{fmt_s(a)} s vs {fmt_s(c)} s"))
    op = "get v1 cached, hardlink"
    a, c = med(ds, op, "arttui"), med(ds, op, "cp -al")
    checks.append(("hardlink get: arttui / cp -al", a / c if a and c else None, 2.0, f"{fmt_s(a)} s vs {fmt_s(c)} s"))
    peak = max((max(cells["arttui"]["rss_mib"]) for cells in results.ops.get(ds, {}).values() if "arttui" in cells),
               default=None)
    checks.append(("arttui peak RSS (MiB) / 150 MiB", peak / RSS_TARGET_MIB if peak else None, 1.0,
                   f"{peak:.1f} MiB" if peak else "-"))
    return checks


def mark(factor: float | None, limit: float) -> str:
    if factor is None:
        return "n/a"
    return "MET" if factor <= limit else "MISSED"


def render(results: Results, manifests: dict, peers: list[str], args, info: dict) -> str:
    out = [f"arttui benchmark — {info['date']} — {info['machine']}",
           f"seed {args.seed}, scale {args.scale}, {args.reps} repetitions (median, min-max), "
           f"warm page cache, tools alternated within each repetition",
           "tools: " + "; ".join(f"{k}: {v}" for k, v in info["versions"].items())]
    for note in results.notes:
        out.append("note: " + note)
    missed = []
    for ds in manifests:
        if ds not in results.ops:
            continue
        out.append("")
        out.append(dataset_table(results, ds, manifests[ds]))
        changes = results.extra.get("v1_changes", {}).get(ds)
        if changes:
            out.append(f"v1 changes: {json.dumps(changes)}")
        out.append("")
        out.append(f"-- targets ({ds})")
        rows = []
        for description, factor, limit, detail in ratio_lines(results, ds, peers):
            status = mark(factor, limit)
            rows.append([description, f"{factor:.2f}x" if factor is not None else "-", f"<= {limit}x", status, detail])
            if status == "MISSED":
                missed.append(f"{ds}: {description} = {factor:.2f}x (target <= {limit}x; {detail})")
        out.append(table(["target", "factor", "limit", "status", "measured"], rows, {1, 2}))
    cache = results.extra.get("cache")
    if cache:
        out.append("")
        out.append(f"== arttui cache with {cache['files']} tiny cached files")
        rows = []
        for key, label, limit in (("put", "put of the tree", None), ("fill", "get (fills the cache)", None),
                                  ("size", "cache size", 0.2), ("cleanup", "cache cleanup 0", 1.0),
                                  ("unlinked", "  ... until its background unlinks end", None),
                                  ("wait", "cache cleanup 0 --wait", None)):
            values = cache[key]
            seconds = [v[0] for v in values]
            peak = max(v[1] for v in values)
            status = "" if limit is None else mark(statistics.median(seconds) / limit, 1.0) + f" (<= {limit} s)"
            if limit is not None and status.startswith("MISSED"):
                missed.append(f"cache: {label} = {statistics.median(seconds):.3f} s (target <= {limit} s)")
            if peak > RSS_TARGET_MIB:
                missed.append(f"cache: {label} peak RSS {peak:.1f} MiB (target <= 150 MiB)")
            rows.append([label, fmt_s(statistics.median(seconds)), f"{fmt_s(min(seconds))}-{fmt_s(max(seconds))}",
                         f"{peak:.1f}", status])
        out.append(table(["operation", "median s", "min-max s", "peak RSS MiB", "target"], rows, {1, 2, 3}))
    big = results.extra.get("big_file")
    if big:
        out.append("")
        out.append(f"== arttui with one {big['bytes'] / GIB:.2f} GiB random file (one run)")
        rows = []
        for key in ("put", "get"):
            status = mark(big[key]["rss_mib"] / RSS_TARGET_MIB, 1.0)
            if status == "MISSED":
                missed.append(f"big file: {key} peak RSS {big[key]['rss_mib']:.1f} MiB (target <= 150 MiB)")
            rows.append([key, fmt_s(big[key]["seconds"]), f"{big[key]['rss_mib']:.1f}", status])
        out.append(table(["operation", "seconds", "peak RSS MiB", "<= 150 MiB"], rows, {1, 2}))
        out.append(f"store after put: {big['store_mib']:.1f} MiB")
    out.append("")
    out.append("== targets missed" if missed else "== every measured target met")
    out.extend("- " + line for line in missed)
    if results.bugs:
        out.append("")
        out.append("== arttui misbehaviour seen")
        out.extend("- " + line for line in results.bugs)
    return "\n".join(out)


def swift_runtime_linking(binary: str) -> str:
    """Whether the binary loads the Swift runtime as a shared library (start-up costs differ by a third)."""
    try:
        libraries = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return "Swift runtime linking unknown"
    return "Swift runtime linked dynamically" if "libswiftCore.so" in libraries else "Swift runtime linked statically"


def machine_info(args) -> dict:
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    versions = {"arttui": args.arttui}
    for name, cmd in (("restic", ["restic", "version"]), ("borg", ["borg", "--version"])):
        if have(name):
            versions[name] = tool_version(cmd)
    try:
        here = os.path.dirname(os.path.abspath(__file__))
        head = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--", "../../Sources"],
                               capture_output=True, text=True).stdout.strip()
        versions["arttui"] += f" (tree {head}{', Sources modified' if dirty else ''})"
    except OSError:
        pass
    versions["arttui"] += ", " + swift_runtime_linking(args.arttui)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}",
        "versions": versions,
    }


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arttui", default=".build-bench/release/arttui", help="the arttui binary")
    parser.add_argument("--seed", type=int, default=5, help="seed of every data set (default 5)")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every data set, e.g. 0.1")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--workdir", default="/tmp/arttui-bench", help="where data and stores go")
    parser.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated subset of " + ",".join(DATASETS))
    parser.add_argument("--peers", default="restic,borg", help="peers to run when installed (restic, borg)")
    parser.add_argument("--install-peers", action="store_true", help="apt-get install -y restic borgbackup")
    parser.add_argument("--no-cache-check", action="store_true", help="skip the 100,000-cached-files case")
    parser.add_argument("--cache-files", type=int, default=0,
                        help="tiny files in the cache case (default 100,000 x scale)")
    parser.add_argument("--cache-reps", type=int, default=1, help="repetitions of the cache case (default 1)")
    parser.add_argument("--big-file", action="store_true", help="also put and get one big file (4 GiB)")
    parser.add_argument("--big-file-gib", type=float, default=4.0, help="size of --big-file in GiB")
    parser.add_argument("--json", metavar="FILE", help="write machine-readable results to FILE")
    parser.add_argument("--keep", action="store_true", help="keep stores and restores after each repetition")
    args = parser.parse_args()

    if args.install_peers:
        install_peers()
    if not os.access(args.arttui, os.X_OK):
        log(f"arttui binary not found at {args.arttui}; build it with "
            "swift build -c release --scratch-path .build-bench --product arttui")
        return 2
    args.workdir = os.path.abspath(args.workdir)
    os.makedirs(args.workdir, exist_ok=True)
    results = Results()
    peers = []
    for peer in [p.strip() for p in args.peers.split(",") if p.strip()]:
        if peer not in PEERS:
            results.notes.append(f"{peer}: not a peer this harness drives; ignored")
        elif have(peer):
            peers.append(peer)
        else:
            results.notes.append(f"{peer} not installed: skipped (--install-peers installs it)")
    results.notes.append("DVC (optional in issue 5) is not driven by this harness")
    results.notes.append("restic: repository format 2 (zstd auto compression) with a password (AES encryption on); "
                         "borg: --encryption=none, --compression lz4 (its default); every repository, store and "
                         "restore on the same disk as the arttui store; arttui cache not counted in its store size")
    results.notes.append("a timed command starts after an untimed sync; 'cp -a + sync' includes its own sync; "
                         "restores are not synced by any tool; peak RSS is ru_maxrss of the command and its children"
                         + (" (GNU time %M)" if TIME_BIN else " (wait4; /usr/bin/time missing: upper bound)"))
    info = machine_info(args)
    info["load_average_start"] = [round(x, 2) for x in os.getloadavg()]
    content = Content(args.seed)
    runner = Runner(os.path.join(args.workdir, "logs"))
    manifests = {}
    selected = [d.strip() for d in args.datasets.split(",") if d.strip()]
    status = 0
    try:
        for ds in selected:
            if ds not in FULL_SIZES:
                raise BenchError(f"unknown data set {ds}")
            data_dir = os.path.join(args.workdir, "data", f"{ds}-seed{args.seed}-scale{args.scale}")
            manifests[ds] = generate_dataset(ds, args.seed, args.scale, data_dir, content)
            bench_dataset(args, ds, manifests[ds], data_dir, content, runner, results, peers)
        if not args.no_cache_check:
            bench_cache(args, content, runner, results)
        if args.big_file:
            bench_big_file(args, runner, results)
    except BenchError as error:
        log(f"BENCHMARK FAILED: {error}")
        results.bugs.append(f"run aborted: {error}")
        status = 1
    info["load_average"] = {"start": info.get("load_average_start"), "end": list(os.getloadavg())}
    results.notes.append(f"load average (1/5/15 min) at start {info['load_average']['start']}, "
                         f"at end {[round(x, 2) for x in info['load_average']['end']]}")
    report = render(results, manifests, peers, args, info)
    print(report)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"info": info, "args": vars(args), "peers": peers, "ops": results.ops, "sizes": results.sizes,
                       "notes": results.notes, "bugs": results.bugs, "extra": results.extra,
                       "targets": {ds: [{"target": d, "factor": f, "limit": l, "status": mark(f, l), "detail": x}
                                        for d, f, l, x in ratio_lines(results, ds, peers)]
                                   for ds in results.ops}}, handle, indent=2)
    return status


if __name__ == "__main__":
    sys.exit(main())
