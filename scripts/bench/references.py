#!/usr/bin/env python3
"""Benchmark of `arttui put --reference` (issue 13): a 10,000-file file:// tree, timed against
`arttui put` of the same tree (stored) and `sha256sum` of every file, in the same run; with
--s3-endpoint also a 10,000-object s3:// prefix, timed against listing it with boto3, first in a plain
bucket, then with versioning turned on (arttui then lists versions, to record each object's version id).

    scripts/bench/references.py [--arttui PATH] [--files N] [--reps N] [--workdir DIR]
                                [--s3-endpoint URL]   # needs boto3 and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY

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
    parser.add_argument("--s3-endpoint", default=None)
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
    if args.s3_endpoint:
        s3_benchmark(args, tree, work)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)

def s3_benchmark(args, tree, work):
    import boto3, concurrent.futures
    s3 = boto3.client("s3", endpoint_url=args.s3_endpoint, region_name=os.environ.get("ARTTUI_S3_REGION", "us-east-1"))
    bucket = f"arttui-refbench-{os.getpid()}"
    s3.create_bucket(Bucket=bucket)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs)
    started = time.perf_counter()
    def upload(path):
        s3.upload_file(path, bucket, "prefix/" + os.path.relpath(path, tree))
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(upload, files))
    print(f"s3: uploaded {len(files)} objects to {args.s3_endpoint}/{bucket} in {time.perf_counter() - started:.1f} s (untimed set-up)")
    env = dict(os.environ, ARTTUI_S3_ENDPOINT=args.s3_endpoint)
    timings = {"put --reference s3:// prefix": [], "verify --references (HEAD each)": [], "boto3 list_objects_v2": []}
    for rep in range(args.reps):
        store = os.path.join(work, f"s3store-{rep}")
        shutil.rmtree(store, ignore_errors=True)
        where = ["--store", store, "--cache-dir", os.path.join(work, "cache")]
        t, _ = run([args.arttui, "put", "-n", "bench/s3", "--reference", f"s3://{bucket}/prefix"] + where, env=env)
        timings["put --reference s3:// prefix"].append(t)
        t, _ = run([args.arttui, "verify", "bench/s3", "--references"] + where, env=env)
        timings["verify --references (HEAD each)"].append(t)
        started = time.perf_counter()
        count = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="prefix/"):
            count += len(page.get("Contents", []))
        timings["boto3 list_objects_v2"].append(time.perf_counter() - started)
        assert count == len(files), count
        shutil.rmtree(store, ignore_errors=True)
    # The same prefix once the bucket keeps versions: listed with ListObjectVersions, so every entry
    # records the version it saw (objects written before versioning have the `null` version).
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    timings["put --reference (versioned bucket)"] = []
    timings["boto3 list_object_versions"] = []
    for rep in range(args.reps):
        store = os.path.join(work, f"s3store-v{rep}")
        shutil.rmtree(store, ignore_errors=True)
        where = ["--store", store, "--cache-dir", os.path.join(work, "cache")]
        t, _ = run([args.arttui, "put", "-n", "bench/s3v", "--reference", f"s3://{bucket}/prefix"] + where, env=env)
        timings["put --reference (versioned bucket)"].append(t)
        started = time.perf_counter()
        count = 0
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix="prefix/"):
            count += len(page.get("Versions", []))
        timings["boto3 list_object_versions"].append(time.perf_counter() - started)
        assert count == len(files), count
        shutil.rmtree(store, ignore_errors=True)
    medians = {}
    for name, values in timings.items():
        medians[name] = statistics.median(values)
        print(f"{name:36s} median {medians[name]:7.3f} s  (min {min(values):.3f}, max {max(values):.3f})")
    print(f"ratio put --reference s3:// / boto3 listing: "
          f"{medians['put --reference s3:// prefix'] / medians['boto3 list_objects_v2']:.2f}")
    print(f"ratio put --reference (versioned) / boto3 version listing: "
          f"{medians['put --reference (versioned bucket)'] / medians['boto3 list_object_versions']:.2f}")
    versions = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
                for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
    for start in range(0, len(versions), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": versions[start:start + 1000]})
    s3.delete_bucket(Bucket=bucket)

if __name__ == "__main__":
    main()
