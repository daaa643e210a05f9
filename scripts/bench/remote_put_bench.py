#!/usr/bin/env python3
"""Put through a team server against a local put (issue 10/11): the real `arttui` client, not ServerBenchmark.

For each run (binaries given as LABEL=PATH, alternated, --pairs times) a fresh team stack is started
(scripts/team-stack.sh, so the server holds nothing), then:

  local    `arttui put` of bench.py's mixed v0 into an empty store, then of v1 into it
  remote   `arttui --remote SERVER put` of v0 into a new artifact, then of v1 into it

Each is timed (wall), with the client's CPU (user + system, peak RSS, from wait4), the server's, SeaweedFS's
and PostgreSQL's CPU (process trees, from /proc), and how busy the cores were (from /proc/stat, sampled
every 0.5 s): the share of the put's time in which at least 1.8 of the 2 cores were busy, and the mean;
and each half second's cores used by client / server / SeaweedFS / PostgreSQL.
The load average at each put's start is printed beside it. Every client starts with an empty cache.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the data set generator)
from server_bench import tree_cpu_seconds  # noqa: E402


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def cpu_times():
    """(busy, total) jiffies of every core, from /proc/stat."""
    cores = []
    with open("/proc/stat") as handle:
        for line in handle:
            if line.startswith("cpu") and line[3].isdigit():
                values = [int(v) for v in line.split()[1:]]
                idle = values[3] + values[4]
                cores.append((sum(values) - idle, sum(values)))
    return cores


def process_cpu(pid):
    """CPU seconds (user + system) so far of one process, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class CoreSampler(threading.Thread):
    """Every 0.5 s until stopped: how many cores are busy (all processes), and the cores each of the
    client, server, SeaweedFS and PostgreSQL used in that half second."""

    def __init__(self, stack_dir):
        super().__init__(daemon=True)
        self.samples = []
        self.by_process = []
        self.stack_dir = stack_dir
        self.client = None
        self.halt = threading.Event()

    def processes(self):
        found = stack_cpu(self.stack_dir)
        found["client"] = process_cpu(self.client) if self.client else 0.0
        return found

    def run(self):
        last, last_processes = cpu_times(), self.processes()
        while not self.halt.wait(0.5):
            now, processes = cpu_times(), self.processes()
            busy = sum((b - lb) / max(t - lt, 1) for (b, t), (lb, lt) in zip(now, last))
            self.samples.append(busy)
            self.by_process.append({name: round(max(processes[name] - last_processes[name], 0) / 0.5, 1)
                                    for name in ("client", "server", "seaweedfs", "postgres")})
            last, last_processes = now, processes

    def stop(self):
        self.halt.set()
        self.join()
        return self.samples


def stack_cpu(stack_dir):
    found = {}
    for name, pid_file in (("server", "server.pid"), ("seaweedfs", "s3/weed.pid"), ("postgres", "postgres.pid")):
        with open(os.path.join(stack_dir, pid_file)) as handle:
            found[name] = tree_cpu_seconds(int(handle.read().split()[0]))
    return found


def run_with_rusage(arttui, args, env, sampler):
    """Runs arttui with its own rusage (user, system, peak RSS in MiB)."""
    child = subprocess.Popen([arttui] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler.client = child.pid
    _, status, usage = os.wait4(child.pid, 0)
    out, err = child.stdout.read(), child.stderr.read()
    if status != 0:
        raise SystemExit(f"arttui {' '.join(args)} failed: {err.decode().strip()}")
    return usage, out.decode().strip()


def measure(arttui, args, env, stack_dir):
    load = os.getloadavg()[0]
    stack_before = stack_cpu(stack_dir)
    sampler = CoreSampler(stack_dir)
    sampler.start()
    started = time.perf_counter()
    usage, out = run_with_rusage(arttui, args, env, sampler)
    elapsed = time.perf_counter() - started
    samples = sampler.stop()
    stack_after = stack_cpu(stack_dir)
    stack = {n: stack_after[n] - stack_before[n] for n in stack_after}
    client = usage.ru_utime + usage.ru_stime
    return {
        "load": round(load, 2), "wall": round(elapsed, 3),
        "cpu": {"client": round(client, 2), **{n: round(v, 2) for n, v in stack.items()}},
        "cpu_total": round(client + sum(stack.values()), 2),
        "rss_mib": round(usage.ru_maxrss / 1024, 1),
        "both_busy": round(sum(1 for s in samples if s >= 1.8) / max(len(samples), 1), 2),
        "mean_busy": round(sum(samples) / max(len(samples), 1), 2),
        "timeline": [round(s, 1) for s in samples],
        # Cores used in each half second by client / server / SeaweedFS / PostgreSQL.
        "by_process": ["/".join(f"{p[n]:.1f}" for n in ("client", "server", "seaweedfs", "postgres"))
                       for p in sampler.by_process],
        "out": out[-200:],
    }


def start_stack(stack_script):
    """Starts a team stack; returns the variables it prints (ARTTUI_SERVER_URL, ARTTUI_TOKEN, …)."""
    exports = subprocess.run([stack_script, "start"], capture_output=True, text=True, check=True).stdout
    variables = {}
    for line in exports.splitlines():
        for assignment in line.removeprefix("export ").split():
            name, value = assignment.split("=", 1)
            variables[name] = value
    return variables


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="+", help="LABEL=PATH of arttui, alternated in this order")
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--work", default="/tmp/team-ab-putbench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-local", action="store_true", help="skip the local puts")
    parser.add_argument("--tree", help="put this directory (as v0 only) instead of the mixed data set")
    args = parser.parse_args()
    binaries = [tuple(b.split("=", 1)) for b in args.binaries]
    os.makedirs(args.work, exist_ok=True)
    if args.tree:
        trees = [("v0", os.path.abspath(args.tree))]
    else:
        content = bench.Content(args.seed)
        data = os.path.join(args.work, "data")
        manifest = bench.generate_dataset("mixed", args.seed, args.scale, data, content)
        v0, v1 = os.path.join(data, "v0"), os.path.join(data, "v1")
        if not os.path.exists(os.path.join(data, "V1COMPLETE")):
            shutil.rmtree(v1, ignore_errors=True)
            shutil.copytree(v0, v1)
            bench.derive_v1(manifest, args.seed, content, v1)
            open(os.path.join(data, "V1COMPLETE"), "w").close()
        log(f"mixed data set: {len(manifest['kinds'])} files, {manifest['bytes'] / bench.MIB:.1f} MiB")
        trees = [("v0", v0), ("v1", v1)]
    for _, tree in trees:
        bench.warm(tree)
    stack_script = os.path.join(ROOT, "scripts", "team-stack.sh")
    stack_dir = os.environ.setdefault("ARTTUI_STACK_DIR", "/tmp/team-ab-stack")
    base = {k: v for k, v in os.environ.items() if not k.startswith("ARTTUI_")}
    results = []
    for pair in range(args.pairs):
        for label, arttui in binaries:
            run_dir = os.path.join(args.work, f"run-{label}-{pair}")
            shutil.rmtree(run_dir, ignore_errors=True)
            os.makedirs(run_dir)
            server_env = start_stack(stack_script)
            try:
                env = dict(base, XDG_CONFIG_HOME=os.path.join(run_dir, "config"), ARTTUI_TIMEOUT="300")
                local = dict(env, ARTTUI_STORE=os.path.join(run_dir, "store"), ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-local"))
                remote = dict(env, ARTTUI_STORE=os.path.join(run_dir, "unused"),
                              ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-remote"),
                              ARTTUI_TOKEN=server_env["ARTTUI_TOKEN"])
                url = server_env["ARTTUI_SERVER_URL"]
                row = {"label": label, "pair": pair}
                for version, tree in trees:
                    if not args.no_local:
                        bench.sync()
                        row[f"local_{version}"] = measure(arttui, ["put", tree, "-n", "bench/mixed"], local, stack_dir)
                    bench.sync()
                    row[f"remote_{version}"] = measure(
                        arttui, ["--remote", url, "put", tree, "-n", "bench/mixed"], remote, stack_dir)
                    # An unchanged put right after: the stat cache knows every file.
                    row[f"remote_{version}_again"] = measure(
                        arttui, ["--remote", url, "put", tree, "-n", "bench/mixed"], remote, stack_dir)
                results.append(row)
                for key, value in row.items():
                    if isinstance(value, dict):
                        log(f"{label} {pair} {key}: load {value['load']} wall {value['wall']} s cpu {value['cpu']} "
                            f"= {value['cpu_total']} rss {value['rss_mib']} MiB both-busy {value['both_busy']} "
                            f"mean-busy {value['mean_busy']} timeline {value['timeline']} "
                            f"client/server/seaweedfs/postgres {' '.join(value['by_process'])}")
            finally:
                subprocess.run([stack_script, "stop"], capture_output=True)
                shutil.rmtree(run_dir, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
