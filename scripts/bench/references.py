#!/usr/bin/env python3
"""Benchmark of `arttui put --reference` (issue 13): a 10,000-file file:// tree, timed against
`arttui put` of the same tree (stored) and `sha256sum` of every file, in the same run.

    scripts/bench/references.py [--arttui PATH] [--files N] [--reps N] [--workdir DIR]

Prints one line per measurement (median and min-max of --reps runs) and the ratios. Standard library only.
"""
import argparse, os, random, shutil, statistics, subprocess, sys, tempfile, time

def run(argv, **kwargs):
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"BENCHMARK FAILED: {' '.join(argv[:4])}...: {result.stderr.strip()}")
    return elapsed, result.stdout

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser()
    default = next((p for p in [os.path.join(repo, ".build-bench/release/arttui"),
                                os.path.join(repo, ".build/release/arttui"),
                                os.path.join(repo, ".build/debug/arttui")] if os.path.exists(p)), None)
    parser.add_argument("--arttui", default=default)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    if not args.arttui:
        sys.exit("no arttui binary: build one or pass --arttui")
    work = args.workdir or tempfile.mkdtemp(prefix="arttui-refbench-")
    tree = os.path.join(work, "tree")
    rng = random.Random(13)
    if not os.path.isdir(tree):
        for index in range(args.files):
            directory = os.path.join(tree, f"d{index % 100:02d}")
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, f"f{index:05d}.bin"), "wb") as f:
                f.write(rng.randbytes(rng.randint(1024, 16 * 1024)))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs)
    print(f"arttui: {args.arttui}")
    print(f"tree: {args.files} files, {total / 1e6:.1f} MB, page cache warm; {args.reps} repetitions")

    timings = {"put --reference file://": [], "put --reference --no-checksum": [], "put (stored)": [],
               "find | sha256sum": [], "verify --references": []}
    for rep in range(args.reps):
        store = os.path.join(work, f"store-{rep}")
        shutil.rmtree(store, ignore_errors=True)
        base = [args.arttui]
        where = ["--store", store, "--cache-dir", os.path.join(work, "cache")]
        t, _ = run(base + ["put", "-n", "bench/refs", "--reference", "file://" + tree] + where)
        timings["put --reference file://"].append(t)
        t, _ = run(base + ["put", "-n", "bench/unchecked", "--no-checksum", "--reference", "file://" + tree] + where)
        timings["put --reference --no-checksum"].append(t)
        t, _ = run(base + ["verify", "bench/refs", "--references"] + where)
        timings["verify --references"].append(t)
        t, _ = run(base + ["put", tree, "-n", "bench/stored"] + where)
        timings["put (stored)"].append(t)
        t, _ = run(["sh", "-c", f"find '{tree}' -type f -print0 | xargs -0 sha256sum > /dev/null"])
        timings["find | sha256sum"].append(t)
        shutil.rmtree(store, ignore_errors=True)
    medians = {}
    for name, values in timings.items():
        medians[name] = statistics.median(values)
        print(f"{name:32s} median {medians[name]:7.3f} s  (min {min(values):.3f}, max {max(values):.3f})")
    print(f"ratio put --reference / put (stored):      {medians['put --reference file://'] / medians['put (stored)']:.2f}")
    print(f"ratio put --reference / find | sha256sum:  {medians['put --reference file://'] / medians['find | sha256sum']:.2f}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
