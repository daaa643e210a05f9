#!/usr/bin/env python3
"""Benchmark of `arttui diff` and `arttui find` on big catalogs (issue 13). Not part of `swift test`.

Generates, straight into a fresh store's catalog (Python's sqlite3 on the same SQLite library, so the
catalog's own triggers fill the metadata side table exactly as `put` would):
  * two versions of 100,000 files each that differ in 1,000 modified, 500 added, 500 removed and
    500 renamed files, and times `arttui diff` on them (text, --stat, --json);
  * 1,000,000 versions (1,000 artifacts x 1,000 versions) with metadata, and times `arttui find`
    with selective and non-selective queries.
Every query goes through the real binary, parsing, catalog SQL and printing included. Each figure is
the median of --reps runs, printed next to references timed in the same run: `arttui ls` on the
project (the process start and store open that every command pays) and, for find, the same
condition evaluated by a full scan with json_extract (what the side table saves).

Usage: scripts/bench/diff_find_bench.sh [--versions N] [--files N] [--reps N] [--workdir DIR]
(a find store generated before with the same --versions in --workdir is reused; delete it to regenerate)
"""
import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


CPU_TIMES = []


def timed(command, reps):
    """Median and min wall time of running `command` `reps` times; the last stdout. The median CPU time
    (user + system) of the runs goes to CPU_TIMES[-1]: on a shared machine it moves less than wall time."""
    times = []
    cpu = []
    out = b""
    for _ in range(reps):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr.decode()}")
        out = done.stdout
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times), min(times), out


def timed_sql(connection, sql, arguments, reps):
    times = []
    result = None
    for _ in range(reps):
        start = time.perf_counter()
        result = connection.execute(sql, arguments).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def make_store(arttui, directory):
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([arttui, "--store", directory, "ls"], check=True, stdout=subprocess.DEVNULL)
    connection = sqlite3.connect(os.path.join(directory, "catalog.sqlite"), isolation_level=None)
    # A bulk load: no journal, a big page cache, and the side table's indexes built once at the end.
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -500000")
    indexes = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'version_key'").fetchall()
    for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'version_key'").fetchall():
        connection.execute(f"DROP INDEX {name}")
    connection.execute("BEGIN")
    return connection, [sql for (sql,) in indexes]


def finish_store(connection, indexes):
    connection.execute("COMMIT")
    for sql in indexes:
        connection.execute(sql)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA journal_mode = WAL")


def digest(number):
    """A distinct 32-byte digest, as the catalog keeps digests (binary since store format 2)."""
    return number.to_bytes(32, "big")


def generate_diff_store(connection, files):
    """proj/big v0 and v1 of `files` files each; returns the counts of each change made."""
    rng = random.Random(13)
    now = time.time()
    c = connection
    c.execute("INSERT INTO project (id, name, createdAt) VALUES (1, 'proj', ?)", (now,))
    c.execute("INSERT INTO artifact (id, projectId, name, type, createdAt, nextIndex) VALUES (1, 1, 'big', 'dataset', ?, 2)", (now,))
    modified, added, removed, renamed = files // 100, files // 200, files // 200, files // 200
    v0 = {f"data/{i // 1000:03d}/file-{i:06d}.bin": i for i in range(files)}
    v1 = dict(v0)
    paths = sorted(v0)
    rng.shuffle(paths)
    next_content = files
    for path in paths[:modified]:
        v1[path] = next_content
        next_content += 1
    for path in paths[modified:modified + removed]:
        del v1[path]
    for path in paths[modified + removed:modified + removed + renamed]:
        v1[path.replace("data/", "moved/")] = v1.pop(path)
    for index in range(added):
        v1[f"new/file-{index:06d}.bin"] = next_content
        next_content += 1
    c.executemany("INSERT INTO content (id, digest, size) VALUES (?, ?, ?)",
                  ((i + 1, digest(i), 1000 + i % 5000) for i in range(next_content)))
    for version_id, (index, tree) in enumerate([(0, v0), (1, v1)], start=1):
        c.execute("""INSERT INTO version (id, artifactId, idx, digest, state, createdAt, size, fileCount, addedBytes,
                     metadata) VALUES (?, 1, ?, ?, 'committed', ?, 0, ?, 0, '{}')""",
                  (version_id, index, digest(10**9 + index), now + index, len(tree)))
        c.executemany("INSERT INTO file (versionId, path, contentId) VALUES (?, ?, ?)",
                      ((version_id, path, content + 1) for path, content in tree.items()))
    return {"modified": modified, "added": added, "removed": removed, "renamed": renamed}


def generate_search_store(connection, versions, per_artifact):
    rng = random.Random(7)
    now = time.time()
    c = connection
    c.execute("INSERT INTO project (id, name, createdAt) VALUES (1, 'sweep', ?)", (now,))
    artifacts = versions // per_artifact
    c.executemany("INSERT INTO artifact (id, projectId, name, type, createdAt, nextIndex) VALUES (?, 1, ?, ?, ?, ?)",
                  ((a + 1, f"model-{a:05d}", "model" if a % 2 else "dataset", now, per_artifact) for a in range(artifacts)))

    def rows():
        for v in range(versions):
            artifact, index = divmod(v, per_artifact)
            metadata = {
                "val_acc": round(rng.random(), 6),
                "lr": rng.choice([0.1, 0.01, 0.001, 0.0001]),
                "epoch": index,
                "owner": f"user-{rng.randrange(1000)}",
                "train": {"batch": rng.choice([16, 32, 64, 128]), "seed": rng.randrange(10**6)},
                "tags": rng.sample(["baseline", "tuned", "ablation", "prod", "debug"], 2),
            }
            yield (v + 1, artifact + 1, index, digest(v), now - versions + v, rng.randrange(10**10),
                   rng.randrange(1, 10000), json.dumps(metadata, separators=(",", ":"), sort_keys=True))

    c.executemany("""INSERT INTO version (id, artifactId, idx, digest, state, createdAt, size, fileCount, addedBytes,
                     metadata) VALUES (?, ?, ?, ?, 'committed', ?, ?, ?, 0, ?)""", rows())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arttui", required=True)
    parser.add_argument("--versions", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/arttui-bench-diff-find")
    args = parser.parse_args()
    arttui = os.path.abspath(args.arttui)
    os.makedirs(args.workdir, exist_ok=True)

    # Diff.
    store = os.path.join(args.workdir, "diff-store")
    start = time.perf_counter()
    connection, indexes = make_store(arttui, store)
    changes = generate_diff_store(connection, args.files)
    finish_store(connection, indexes)
    connection.close()
    log(f"generated two versions of {args.files} files in {time.perf_counter() - start:.1f} s")
    base = ["--store", store]
    reference, _, _ = timed([arttui, "ls", "proj"] + base, args.reps)
    print(f"diff: two versions of {args.files:,} files; changes {changes}")
    print(f"  {'reference: arttui ls proj':44} {reference * 1000:8.1f} ms  (cpu {CPU_TIMES[-1] * 1000:.0f} ms)")
    for label, extra in [("arttui diff proj/big:v1 --stat", ["--stat"]),
                         ("arttui diff proj/big:v1 (text)", []),
                         ("arttui diff proj/big:v1 --json", ["--json"])]:
        median, fastest, out = timed([arttui, "diff", "proj/big:v1"] + extra + base, args.reps)
        print(f"  {label:44} {median * 1000:8.1f} ms  (min {fastest * 1000:.1f}, cpu {CPU_TIMES[-1] * 1000:.0f} ms, "
              f"{median / reference:.1f}x ls)")
    summary = json.loads(timed([arttui, "diff", "proj/big:v1", "--json", "--stat"] + base, 1)[2])["summary"]
    print(f"  counted: {summary}")

    # Find.
    store = os.path.join(args.workdir, "find-store")
    # Generating a million versions takes minutes: a store generated before with the same count is reused.
    marker = os.path.join(store, f"generated-{args.versions}")
    if os.path.exists(marker):
        connection = sqlite3.connect(os.path.join(store, "catalog.sqlite"), isolation_level=None)
        log(f"reusing the {args.versions} versions in {store}")
    else:
        start = time.perf_counter()
        connection, indexes = make_store(arttui, store)
        generate_search_store(connection, args.versions, min(1000, args.versions))
        finish_store(connection, indexes)
        open(marker, "w").close()
        log(f"generated {args.versions} versions in {time.perf_counter() - start:.1f} s")
    keys = connection.execute("SELECT count(*) FROM version_key").fetchone()[0]
    base = ["--store", store]
    reference, _, _ = timed([arttui, "ls", "sweep"] + base, args.reps)
    print(f"find: {args.versions:,} versions, {keys:,} flattened metadata rows")
    print(f"  {'reference: arttui ls sweep':60} {reference * 1000:8.1f} ms  (cpu {CPU_TIMES[-1] * 1000:.0f} ms)")
    queries = [
        ("selective: val_acc > 0.9999", ["--where", "val_acc > 0.9999"], "json_extract(metadata, '$.val_acc') > 0.9999"),
        ("selective: owner = \"user-42\" and lr = 0.01",
         ["--where", 'owner = "user-42" and lr = 0.01'],
         "json_extract(metadata, '$.owner') = 'user-42' AND json_extract(metadata, '$.lr') = 0.01"),
        ("selective: train.seed < 500 or val_acc >= 0.99995",
         ["--where", "train.seed < 500 or val_acc >= 0.99995"],
         "json_extract(metadata, '$.train.seed') < 500 OR json_extract(metadata, '$.val_acc') >= 0.99995"),
        ("selective, 2 --where: val_acc > 0.999, tags contains \"prod\"",
         ["--where", "val_acc > 0.999", "--where", 'tags contains "prod"'],
         "json_extract(metadata, '$.val_acc') > 0.999 AND EXISTS (SELECT 1 FROM json_each(metadata, '$.tags') "
         "WHERE value = 'prod')"),
        ("non-selective: val_acc > 0.5 --limit 100", ["--where", "val_acc > 0.5", "--limit", "100"],
         "json_extract(metadata, '$.val_acc') > 0.5"),
        ("non-selective: not debug --sort -val_acc --limit 10",
         ["--where", 'not tags contains "debug"', "--sort", "-val_acc", "--limit", "10"], None),
        ("non-selective: size > 9GB --json (~10% of versions)", ["--where", "size > 9GB", "--json"],
         "size > 9000000000"),
    ]
    for label, arguments, reference_sql in queries:
        median, fastest, out = timed([arttui, "find"] + arguments + base, args.reps)
        lines = out.count(b"\n")
        shown = f"{lines - 1} rows" if "--json" not in arguments else f"{len(json.loads(out))} rows"
        line = f"  {label:60} {median * 1000:8.1f} ms  (min {fastest * 1000:.1f}, cpu {CPU_TIMES[-1] * 1000:.0f} ms, {shown}"
        if reference_sql:
            scan, result = timed_sql(connection, f"SELECT count(*) FROM version WHERE {reference_sql}", (), 1)
            line += f"; full json_extract scan {scan * 1000:.0f} ms for {result[0][0]} matches"
        print(line + ")")
    connection.close()


if __name__ == "__main__":
    main()
