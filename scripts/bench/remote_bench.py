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
import resource
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


LAST_CPU = {}


def run(arttui, args, env, check=True):
    """Runs arttui; returns (seconds, stdout) and leaves its user and system CPU seconds in LAST_CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([arttui] + args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU.update(client_user=after.ru_utime - before.ru_utime, client_system=after.ru_stime - before.ru_stime)
    if check and result.returncode != 0:
        raise SystemExit(f"arttui {' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed, result.stdout


def stack_cpu():
    """CPU seconds so far of the stack's server and SeaweedFS processes (from /proc), by name."""
    stack = os.environ.get("ARTTUI_STACK_DIR", "/tmp/arttui-stack")
    found = {}
    for name, pid_file in [("server", "server.pid"), ("seaweedfs", "s3/weed.pid")]:
        try:
            with open(os.path.join(stack, pid_file)) as handle:
                pid = int(handle.read().split()[0])
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime: fields 14-17 of proc(5), in clock ticks.
            found[name] = sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return found


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
    stack_before = stack_cpu()
    elapsed, _ = run(arttui, ["push", "bench/mixed", "--to", server, "--into", "pushed"], local)
    stack_after = stack_cpu()
    results["push_cpu"] = {name: round(value, 2) for name, value in dict(
        LAST_CPU, **{n: stack_after[n] - stack_before[n] for n in stack_after if n in stack_before}).items()}
    results["push_s"] = elapsed
    results["push_bytes"] = metric(server, "arttui_upload_bytes_total") - before
    results["store_bytes"] = du(os.path.join(work, "store", "packs"))

    # get v1 into an empty folder with an empty cache: local vs server.
    def best_get(environment, address, label):
        best = None
        for rep in range(args.reps):
            target = os.path.join(work, f"out-{label}-{rep}")
            e = dict(environment, ARTTUI_CACHE_DIR=os.path.join(work, f"cache-get-{label}-{rep}"))
            bench.sync()
            stack_before = stack_cpu()
            elapsed = run(arttui, ["get", address, "--root", target], e)[0]
            stack_after = stack_cpu()
            cpu = dict(LAST_CPU, **{name: stack_after[name] - stack_before[name] for name in stack_after
                                    if name in stack_before})
            if best is None or elapsed < best[0]:
                best = (elapsed, cpu)
            # Kept until the end: on ext4 without a journal (this machine) the inode allocator steps over
            # every inode freed in the last minute, one buffer lookup each, so the next get's thousands
            # of new files cost seconds of system time if these were removed just before it.
        results[f"get_{label}_cpu"] = {name: round(value, 2) for name, value in best[1].items()}
        return best[0]
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
    for label in ["get_local_cpu", "get_remote_cpu", "push_cpu"]:
        print(f"  CPU seconds, {label[:-4].replace('_', ' ')}: "
              + ", ".join(f"{name} {value:.2f}" for name, value in results[label].items()))
    print(json.dumps(results, indent=None))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
