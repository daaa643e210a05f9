#!/usr/bin/env python3
"""A version of many small files through a team server against the same tree put and got locally (branch
big-commit): the real `arttui` client and `arttui-server` on a fresh team stack (scripts/team-stack.sh).

  local    `arttui put TREE` into an empty store, then `arttui get` of it into an empty folder and cache
  remote   `arttui --remote SERVER put TREE` into a new artifact, then `arttui --remote SERVER get` of it

Each is timed (wall) with the client's CPU and peak RSS (wait4) and the stack's CPU (remote_put_bench's
measure); the server's peak RSS is its VmHWM after the remote put and again after the remote get (a peak
since it started, so the second is the larger of the two operations). The tree is made once: --files
files of 20-400 pseudo-random bytes in folders of 1,000.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from remote_put_bench import log, measure, start_stack  # noqa: E402


def make_tree(path, count, seed):
    marker = path + ".complete"
    if os.path.exists(marker):
        return
    shutil.rmtree(path, ignore_errors=True)
    rng = random.Random(seed)
    for index in range(count):
        folder = os.path.join(path, f"shard-{index // 1000:04d}")
        if index % 1000 == 0:
            os.makedirs(folder)
        with open(os.path.join(folder, f"sample-{index:07d}.bin"), "wb") as handle:
            handle.write(rng.randbytes(rng.randint(20, 400)))
    open(marker, "w").close()


def vm_hwm_mib(pid_file):
    with open(pid_file) as handle:
        pid = handle.read().strip()
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def commit_ms(log_file):
    """How long the server took over its last answered commit request, from its request log."""
    found = None
    with open(log_file, errors="replace") as handle:
        for line in handle:
            if "/commit" in line and "ms=" in line:
                match = re.search(r"\bms=(\d+)", line)
                if match:
                    found = int(match.group(1))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("arttui", help="the arttui binary (ARTTUI_SERVER_BIN names the server's)")
    parser.add_argument("--files", type=int, default=250_000)
    parser.add_argument("--work", default="/tmp/big-commit-bench")
    parser.add_argument("--put-only", action="store_true",
                        help="skip both gets: the server's peak RSS is then that of the upload and commit alone")
    args = parser.parse_args()
    tree = os.path.join(args.work, f"tree-{args.files}")
    make_tree(tree, args.files, 1)
    log(f"tree: {args.files} files in {tree}")
    run_dir = os.path.join(args.work, "run")
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    stack_script = os.path.join(ROOT, "scripts", "team-stack.sh")
    stack_dir = os.environ.setdefault("ARTTUI_STACK_DIR", "/tmp/big-commit-stack")
    base = {k: v for k, v in os.environ.items() if not k.startswith("ARTTUI_")}
    env = dict(base, XDG_CONFIG_HOME=os.path.join(run_dir, "config"), ARTTUI_TIMEOUT="600")
    row = {}
    # Started first (the local operations' figures then include its idle CPU, near 0): measure reads its pids.
    server_env = start_stack(stack_script)
    try:
        url = server_env["ARTTUI_SERVER_URL"]
        local = dict(env, ARTTUI_STORE=os.path.join(run_dir, "store"), ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-local"))
        row["local_put"] = measure(args.arttui, ["put", tree, "-n", "bench/many"], local, stack_dir)
        if not args.put_only:
            row["local_get"] = measure(
                args.arttui, ["get", "bench/many", "--root", os.path.join(run_dir, "out-local")],
                dict(local, ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-local-get")), stack_dir)
        for done in ("out-local", "cache-local-get"):
            shutil.rmtree(os.path.join(run_dir, done), ignore_errors=True)
        remote = dict(env, ARTTUI_STORE=os.path.join(run_dir, "unused"), ARTTUI_TOKEN=server_env["ARTTUI_TOKEN"],
                      ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-remote"))
        row["server_rss_start_mib"] = vm_hwm_mib(os.path.join(stack_dir, "server.pid"))
        row["remote_put"] = measure(args.arttui, ["--remote", url, "put", tree, "-n", "admin/bench/many"], remote, stack_dir)
        row["server_rss_after_put_mib"] = vm_hwm_mib(os.path.join(stack_dir, "server.pid"))
        row["server_commit_ms"] = commit_ms(os.path.join(stack_dir, "server.log"))
        if not args.put_only:
            row["remote_get"] = measure(
                args.arttui, ["--remote", url, "get", "admin/bench/many", "--root", os.path.join(run_dir, "out-remote")],
                dict(remote, ARTTUI_CACHE_DIR=os.path.join(run_dir, "cache-remote-get")), stack_dir)
            row["server_rss_after_get_mib"] = vm_hwm_mib(os.path.join(stack_dir, "server.pid"))
            same = subprocess.run(["diff", "-r", "-q", tree, os.path.join(run_dir, "out-remote")], capture_output=True, text=True)
            row["remote_get_identical"] = same.returncode == 0
    finally:
        subprocess.run([stack_script, "stop"], capture_output=True)
    for key, value in row.items():
        if isinstance(value, dict):
            log(f"{key}: load {value['load']} wall {value['wall']} s cpu {value['cpu']} rss {value['rss_mib']} MiB")
        else:
            log(f"{key}: {value}")
    for op in ("put",) if args.put_only else ("put", "get"):
        log(f"{op}: remote / local wall = {row[f'remote_{op}']['wall'] / row[f'local_{op}']['wall']:.2f}x")
    shutil.rmtree(run_dir, ignore_errors=True)
    print(json.dumps({k: ({kk: vv for kk, vv in v.items() if kk not in ('timeline', 'by_process')} if isinstance(v, dict) else v)
                      for k, v in row.items()}))


if __name__ == "__main__":
    main()
