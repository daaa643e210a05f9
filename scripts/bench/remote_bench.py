#!/usr/bin/env python3
"""Team-mode transfer benchmark (issue 11): ratios from one run on loopback against a team stack.

  get      `arttui get` of the mixed data set's v1 from the server into an empty folder and an empty
           cache, against a local `get` of the same version (goal <= 1.5x)
  push     bytes `arttui push` sends for an artifact's three versions (the server's upload counter)
           against the bytes the local store holds for them (goal <= 1.05x)
  put      `arttui put` of an unchanged tree to the server against a local put of it (goal <= 2x)

Each timing is the best of --reps runs. The data set comes from bench.py (same generator, same seed).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the data set generator)


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run(arttui, args, env, check=True):
    started = time.perf_counter()
    result = subprocess.run([arttui] + args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if check and result.returncode != 0:
        raise SystemExit(f"arttui {' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed, result.stdout


def metric(server, name):
    with urllib.request.urlopen(server + "/metrics") as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith(name + " "):
                return int(float(line.split()[1]))
    raise SystemExit(f"no {name} in {server}/metrics")


def du(path):
    total = 0
    for directory, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(directory, name))
    return total


def derive_v2(live, seed, content):
    """v2 from v1: 5% of the files get an appended tail, and 2% more files appear."""
    rng = random.Random(f"{seed}:mixed:v2")
    files = sorted(os.path.relpath(os.path.join(d, n), live) for d, _, ns in os.walk(live) for n in ns)
    for rel in rng.sample(files, max(1, len(files) // 20)):
        with open(os.path.join(live, rel), "ab") as handle:
            handle.write(content.make("text", random.Random(f"{seed}:v2:{rel}"), 4096))
    for index in range(max(1, len(files) // 50)):
        bench.write_file(os.path.join(live, f"v2new/item{index:04d}.dat"),
                         content.make("random", random.Random(f"{seed}:v2:new:{index}"), 100_000))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arttui", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="of the 500 MiB mixed data set")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--work", default="/tmp/arttui-remote-bench")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    server = os.environ["ARTTUI_SERVER_URL"]
    arttui = os.path.abspath(args.arttui)
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    content = bench.Content(args.seed)
    data = os.path.join(work, "data")
    manifest = bench.generate_dataset("mixed", args.seed, args.scale, data, content)
    live = os.path.join(data, "v0")
    log(f"mixed data set: {len(manifest['kinds'])} files, {manifest['bytes'] / bench.MIB:.1f} MiB")

    base = {k: v for k, v in os.environ.items() if not k.startswith("ARTTUI_") or k == "ARTTUI_TOKEN"}

    def env(store, cache, remote=None):
        e = dict(base, ARTTUI_STORE=os.path.join(work, store), ARTTUI_CACHE_DIR=os.path.join(work, cache),
                 XDG_CONFIG_HOME=os.path.join(work, "config"), ARTTUI_TIMEOUT="120")
        if remote:
            e["ARTTUI_REMOTE"] = remote
        return e

    local, remote = env("store", "cache-put"), env("unused", "cache-remote-put", server)
    # Three versions in the local store.
    for version in range(3):
        if version == 1:
            bench.derive_v1(manifest, args.seed, content, live)
        elif version == 2:
            derive_v2(live, args.seed, content)
        run(arttui, ["put", live, "-n", "bench/mixed"], local)
    results = {}

    # push of the three versions to a server that holds none of them: bytes sent vs the local store's packs.
    before = metric(server, "arttui_upload_bytes_total")
    elapsed, _ = run(arttui, ["push", "bench/mixed", "--to", server, "--into", "pushed"], local)
    results["push_s"] = elapsed
    results["push_bytes"] = metric(server, "arttui_upload_bytes_total") - before
    results["store_bytes"] = du(os.path.join(work, "store", "packs"))

    # get v1 into an empty folder with an empty cache: local vs server.
    def best_get(environment, address, label):
        times = []
        for rep in range(args.reps):
            target = os.path.join(work, f"out-{label}-{rep}")
            e = dict(environment, ARTTUI_CACHE_DIR=os.path.join(work, f"cache-get-{label}-{rep}"))
            bench.sync()
            times.append(run(arttui, ["get", address, "--root", target], e)[0])
            shutil.rmtree(target, ignore_errors=True)
            shutil.rmtree(e["ARTTUI_CACHE_DIR"], ignore_errors=True)
        return min(times)
    results["get_local_s"] = best_get(local, "bench/mixed:v1", "local")
    results["get_remote_s"] = best_get(remote, "pushed/mixed:v1", "remote")

    # put of the unchanged tree: local vs server, once each first so both have seen it.
    run(arttui, ["put", live, "-n", "pushed/mixed"], remote)
    def best_put(environment, name):
        return min(run(arttui, ["put", live, "-n", name], environment)[0] for _ in range(args.reps))
    results["put_local_s"] = best_put(local, "bench/mixed")
    results["put_remote_s"] = best_put(remote, "pushed/mixed")

    ratios = [
        ("get v1 from the server / local get", results["get_remote_s"] / results["get_local_s"], 1.5,
         f"{results['get_remote_s']:.2f} s / {results['get_local_s']:.2f} s"),
        ("push of 3 versions: bytes sent / local store size", results["push_bytes"] / results["store_bytes"], 1.05,
         f"{results['push_bytes'] / bench.MIB:.1f} MiB / {results['store_bytes'] / bench.MIB:.1f} MiB"),
        ("put of an unchanged tree to the server / local put", results["put_remote_s"] / results["put_local_s"], 2.0,
         f"{results['put_remote_s']:.2f} s / {results['put_local_s']:.2f} s"),
    ]
    print(f"remote transfer benchmark: mixed data set at scale {args.scale} "
          f"({len(manifest['kinds'])} files, {manifest['bytes'] / bench.MIB:.1f} MiB), best of {args.reps}")
    for label, ratio, goal, detail in ratios:
        print(f"  {label:52s} {ratio:6.2f}x (goal <= {goal}x) {'ok' if ratio <= goal else 'MISSED'}  [{detail}]")
    print(json.dumps(results, indent=None))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
