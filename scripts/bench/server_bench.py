#!/usr/bin/env python3
"""The team server's benchmark (issue 10): ratios against references timed in the same run.

1. put of the mixed data set (500 MiB, 2,000 files; bench.py's generator) through the server's upload
   protocol vs the embedded store's put of the same tree, both in release builds of this repository;
2. bytes sent for its v1 (bench.py's edits: 2 % deleted, 5 % replaced, 10 % edited, 5 % added)
   vs what the local store grew by for the same v1;
3. 16 concurrent clients (wrk, 16 connections) listing and showing versions: p50/p99 latency, after a
   warm-up run whose figures are dropped (the server's connections to PostgreSQL open and its
   statements are prepared then); beside wrk's percentiles, the 16 clients' exact mean latency from the
   request count (closed loop: Little's law) and the p50/p90/p99 of one more client timed by this script;
4. the server's resident memory: peak while reading, and its high-water mark over the whole run.

The stack (PostgreSQL, SeaweedFS, arttui-server) is started with scripts/team-stack.sh on its own
ports and directory and stopped at the end, whatever happens. Run through server_bench.sh.
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the data set generator and v1 edits of the local benchmark)

MIB = 1024 * 1024
GOALS = {"put": 1.5, "v1_bytes": 1.1, "p99_ms": 50.0, "rss_mib": 250.0}


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run_json(cmd, env=None):
    """Runs a client command; its JSON answer, with the CPU seconds it used added as `cpu_seconds`."""
    before = os.times()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    after = os.times()
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed: {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu_seconds"] = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return result


def tree_cpu_seconds(root):
    """CPU seconds (user + system) used so far by a process and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        # utime, stime, and the reaped children's cutime, cstime (PostgreSQL's backends come and go).
        used[int(entry)] = sum(int(value) for value in fields[11:15]) / ticks
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += used.get(pid, 0.0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def stack_cpu_seconds(stack_dir):
    """CPU seconds so far of the stack's server, object store and database, by name."""
    found = {}
    for name, pid_file in (("server", "server.pid"), ("object store", "s3/weed.pid"), ("database", "postgres.pid")):
        try:
            with open(os.path.join(stack_dir, pid_file)) as handle:
                found[name] = tree_cpu_seconds(int(handle.read().strip()))
        except (OSError, ValueError):
            pass
    return found


def rss_mib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class Probe(threading.Thread):
    """One more client while wrk loads the server: sequential GETs of the same paths over one kept-alive
    connection, 10 ms apart, each timed with this process's monotonic clock. An independent latency
    figure: wrk's own on this 2-core machine came out inconsistent with its request count (its mean
    above what 16 sequential connections can take, by up to 3x under load)."""

    def __init__(self, url, token, paths):
        super().__init__(daemon=True)
        self.host, self.port = url.removeprefix("http://").split(":")
        self.token, self.paths, self.running, self.latencies = token, paths, True, []

    def run(self):
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        count = 0
        while self.running:
            started = time.monotonic()
            connection.request("GET", self.paths[count % len(self.paths)],
                               headers={"Authorization": f"Bearer {self.token}"})
            connection.getresponse().read()
            self.latencies.append((time.monotonic() - started) * 1000)
            count += 1
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.join()
        ordered = sorted(self.latencies)
        at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")
        return {"requests": len(ordered), "p50_ms": at(0.50), "p90_ms": at(0.90), "p99_ms": at(0.99),
                "max_ms": ordered[-1] if ordered else float("nan")}


class Sampler(threading.Thread):
    """Samples a process's resident memory every 100 ms until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def wrk(url, token, paths, seconds, connections, threads):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("paths = {" + ", ".join(json.dumps(p) for p in paths) + "}\n"
                 "counter = 0\n"
                 "request = function()\n"
                 "  counter = counter + 1\n"
                 "  return wrk.format(\"GET\", paths[(counter % #paths) + 1])\n"
                 "end\n")
    script.close()
    try:
        done = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script.name,
             "-H", f"Authorization: Bearer {token}", url], capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    out = done.stdout
    result = {"raw": out}

    def ms(text):
        value = float(text.rstrip("usm"))
        return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") else value

    in_distribution = False
    for line in out.splitlines():
        parts = line.split()
        if line.strip().startswith("Latency Distribution"):
            in_distribution = True
            continue
        if in_distribution and len(parts) == 2 and parts[0].endswith("%"):
            result[f"p{parts[0].rstrip('%')}_ms"] = ms(parts[1])
        if parts and parts[0] == "Latency" and len(parts) >= 2 and not in_distribution:
            result["mean_ms"] = ms(parts[1])
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(parts[1])
        if "Non-2xx" in line:
            result["non_2xx"] = int(parts[-1])
        if "requests in" in line:
            result["requests"] = int(parts[0])
    return result


def put_rows(figures):
    """The table rows comparing the puts through the server with the local ones."""
    put_ratio = figures["server_v0"]["seconds"] / figures["local_v0"]["seconds"]
    v1_ratio = figures["server_v1"]["bytesSent"] / max(1, figures["local_v1"]["addedBytes"])
    return [
        ("put v0 through the server / local put", f"{figures['server_v0']['seconds']:.2f} s / "
         f"{figures['local_v0']['seconds']:.2f} s", f"{put_ratio:.2f}x", f"<= {GOALS['put']}x"),
        ("put v1 through the server / local put", f"{figures['server_v1']['seconds']:.2f} s / "
         f"{figures['local_v1']['seconds']:.2f} s",
         f"{figures['server_v1']['seconds'] / figures['local_v1']['seconds']:.2f}x", ""),
        ("bytes sent for v1 / local store growth", f"{figures['server_v1']['bytesSent']} / "
         f"{figures['local_v1']['addedBytes']}", f"{v1_ratio:.3f}x", f"<= {GOALS['v1_bytes']}x"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-bin", required=True)
    parser.add_argument("--client-bin", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="data set size relative to 500 MiB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", default=os.environ.get("ARTTUI_BENCH_DATA", "/tmp/arttui-bench-data"),
                        help="where generated data sets are kept between runs")
    parser.add_argument("--work-dir", default="/tmp/arttui-server-bench")
    parser.add_argument("--read-seconds", type=int, default=20)
    parser.add_argument("--warmup-seconds", type=int, default=5,
                        help="a first wrk run of this length, not counted (0: none)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1,
                        help="wrk's threads (one drives 16 connections at several times the server's rate and "
                             "takes less of the 2 cores from the server than two)")
    parser.add_argument("--only-reads", action="store_true",
                        help="skip the local puts and the put ratios: put v0 and v1 through the server only "
                             "to have something to read, then measure the reads and RSS")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("server_bench: wrk is not installed (apt-get install wrk)")

    load_at_start = os.getloadavg()
    content = bench.Content(args.seed)
    dataset = os.path.join(args.data_dir, f"mixed-s{args.seed}-x{args.scale}")
    manifest = bench.generate_dataset("mixed", args.seed, args.scale, dataset, content)
    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir)
    v0 = os.path.join(dataset, "v0")
    v1 = os.path.join(args.work_dir, "v1")
    shutil.copytree(v0, v1)
    changes = bench.derive_v1(manifest, args.seed, content, v1)
    log(f"data: {len(manifest['kinds'])} files, {manifest['bytes'] / MIB:.1f} MiB; v1 changes {changes}")

    env = dict(os.environ)
    env.update({
        "ARTTUI_STACK_DIR": os.path.join(args.work_dir, "stack"),
        "ARTTUI_STACK_PORT": env.get("ARTTUI_STACK_PORT", "18450"),
        "ARTTUI_STACK_PG_PORT": env.get("ARTTUI_STACK_PG_PORT", "18451"),
        "ARTTUI_STACK_S3_PORT": env.get("ARTTUI_STACK_S3_PORT", "18460"),
        "ARTTUI_SERVER_BIN": os.path.abspath(args.server_bin),
    })
    stack = os.path.join(ROOT, "scripts", "team-stack.sh")
    exports = subprocess.run([stack, "start"], env=env, capture_output=True, text=True)
    if exports.returncode != 0:
        sys.exit(f"server_bench: the team stack did not start: {exports.stderr.strip()}")
    figures = {"data_bytes": manifest["bytes"], "files": len(manifest["kinds"]), "v1_changes": changes}
    try:
        for line in exports.stdout.splitlines():
            for assignment in line.removeprefix("export ").split():
                name, _, value = assignment.partition("=")
                env[name] = value
        url, token = env["ARTTUI_SERVER_URL"], env["ARTTUI_TOKEN"]
        with open(os.path.join(env["ARTTUI_STACK_DIR"], "server.pid")) as handle:
            pid = int(handle.read().strip())
        request = urllib.request.Request(
            f"{url}/api/v1/projects", method="POST",
            data=json.dumps({"entity": "admin", "name": "bench", "visibility": "private"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        urllib.request.urlopen(request).read()

        client = os.path.abspath(args.client_bin)
        store = os.path.join(args.work_dir, "local-store")
        results = {}
        for tree, label in ((v0, "v0"), (v1, "v1")):
            if not args.only_reads:
                bench.warm(tree)
                results[f"local_{label}"] = run_json([client, "put-local", store, "bench", "mixed", tree], env)
            bench.warm(tree)
            cpu_before = stack_cpu_seconds(env["ARTTUI_STACK_DIR"])
            results[f"server_{label}"] = run_json([client, "put-server", url, "admin/bench", "mixed", tree], env)
            cpu_after = stack_cpu_seconds(env["ARTTUI_STACK_DIR"])
            cpu = {"client": results[f"server_{label}"]["cpu_seconds"]}
            cpu.update({name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after})
            results[f"server_{label}"]["cpu_seconds_by_process"] = cpu
            local = results.get(f"local_{label}")
            log(f"put {label}: " + (f"local {local['seconds']:.2f} s ({local['cpu_seconds']:.1f} CPU s), " if local else "")
                + f"server {results[f'server_{label}']['seconds']:.2f} s (CPU s: "
                + ", ".join(f"{name} {value:.1f}" for name, value in cpu.items()) + ")")
        figures.update(results)
        put_rss = rss_mib(pid, "VmHWM")

        base = f"/api/v1/projects/admin/bench"
        paths = [f"{base}/artifacts/mixed/versions?limit=20", f"{base}/artifacts/mixed/versions/latest",
                 f"{base}/artifacts", f"{base}/artifacts/mixed/versions/v0", "/api/v1/projects"]
        if args.warmup_seconds > 0:
            wrk(url, token, paths, args.warmup_seconds, args.clients, args.wrk_threads)
        sampler = Sampler(pid)
        sampler.start()
        probe = Probe(url, token, paths)
        probe.start()
        reads = wrk(url, token, paths, args.read_seconds, args.clients, args.wrk_threads)
        probed = probe.stop()
        read_rss = sampler.stop()
        figures["reads"] = {k: v for k, v in reads.items() if k != "raw"}
        # Closed loop: each of the clients always has one request in flight, so their mean latency is
        # exactly clients x duration / requests (Little's law), whatever wrk's clock says.
        figures["reads"]["mean_ms_by_count"] = args.clients * args.read_seconds * 1000 / max(1, reads.get("requests", 1))
        figures["probe"] = probed
        figures["rss_mib"] = {"peak_during_reads": read_rss, "high_water_after_puts": put_rss,
                              "high_water_whole_run": rss_mib(pid, "VmHWM")}
    finally:
        subprocess.run([stack, "stop"], env=env, capture_output=True)
    figures["load_average"] = os.getloadavg()
    figures["load_average_at_start"] = load_at_start

    rows = []
    if not args.only_reads:
        rows += put_rows(figures)
    rows += [
        (f"reads, {args.clients} clients: p50 / p99", f"{reads.get('p50_ms', float('nan')):.2f} ms / "
         f"{reads.get('p99_ms', float('nan')):.2f} ms", f"{reads.get('requests_per_second', 0):.0f} req/s",
         f"p99 < {GOALS['p99_ms']:.0f} ms"),
        (f"reads: mean by request count ({args.clients} x {args.read_seconds} s / requests)", f"{figures['reads']['mean_ms_by_count']:.2f} ms "
         f"(wrk's mean {reads.get('mean_ms', float('nan')):.2f} ms)", "", ""),
        ("one more client meanwhile: p50 / p90 / p99",
         f"{figures['probe']['p50_ms']:.1f} / {figures['probe']['p90_ms']:.1f} / {figures['probe']['p99_ms']:.1f} ms",
         f"{figures['probe']['requests']} requests", f"p99 < {GOALS['p99_ms']:.0f} ms"),
        ("server RSS: peak during reads / high-water mark", f"{figures['rss_mib']['peak_during_reads']:.0f} MiB / "
         f"{figures['rss_mib']['high_water_whole_run']:.0f} MiB", "", f"<= {GOALS['rss_mib']:.0f} MiB"),
    ]
    print(f"server benchmark: mixed data set, {figures['files']} files, {figures['data_bytes'] / MIB:.1f} MiB, "
          f"one run on loopback; load average {load_at_start[0]:.1f} at the start, "
          f"{figures['load_average'][0]:.1f} (5 min: {figures['load_average'][1]:.1f}) at the end")
    width = max(len(r[0]) for r in rows)
    for name, values, ratio, goal in rows:
        print(f"  {name:<{width}}  {values:<28} {ratio:<12} {goal}")
    for label in () if args.only_reads else ("v0", "v1"):
        cpu = figures[f"server_{label}"]["cpu_seconds_by_process"]
        print(f"  CPU seconds, put {label}: local put {figures[f'local_{label}']['cpu_seconds']:.1f}; through the "
              f"server {sum(cpu.values()):.1f} = " + " + ".join(f"{name} {value:.1f}" for name, value in cpu.items()))
    print(f"  reads: wrk -t{args.wrk_threads} -c{args.clients}, {args.read_seconds} s after a {args.warmup_seconds} s "
          "warm-up; p50/p99 over every request of the measured run (closed loop: each connection sends its next "
          "request when the answer to the last arrived)")
    if reads.get("non_2xx"):
        print(f"  warning: {reads['non_2xx']} non-2xx answers during the reads")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    shutil.rmtree(args.work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
