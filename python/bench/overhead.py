"""Prints the package's overhead over the command line, timed in one run on one fresh store:

- ``Api().artifact(ADDRESS)`` vs ``arttui show ADDRESS --json`` (one process each);
- logging a 1-file artifact from a started run (``run.log_artifact``) vs ``arttui put FILE --run ID --json``;
- ``arttui.log_artifact`` with no run (starts and finishes a run of job type ``auto``: three processes).

Each figure is the median of ``--repetitions`` (default 20), the Python call and its command line timed
alternately; each logged file has new content, so every log stores a new version. Needs ARTTUI_BIN (or arttui on PATH). Usage: python bench/overhead.py [-n 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from typing import Callable, List

import arttui
from arttui import _cli


def paired_medians_ms(repetitions: int, first: Callable[[int], object], second: Callable[[int], object]) -> List[float]:
    """Times the two actions alternately, so a change in the machine's load falls on both alike."""
    times: List[List[float]] = [[], []]
    for index in range(repetitions):
        for slot, action in enumerate((first, second)):
            start = time.perf_counter()
            action(index)
            times[slot].append(time.perf_counter() - start)
    return [statistics.median(series) * 1000 for series in times]


def median_ms(repetitions: int, action: Callable[[int], object]) -> float:
    return paired_medians_ms(repetitions, action, lambda _: None)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repetitions", type=int, default=20)
    repetitions = parser.parse_args().repetitions
    binary = _cli.find_executable()
    with tempfile.TemporaryDirectory(prefix="arttui-overhead-") as work:
        os.environ["ARTTUI_STORE"] = os.path.join(work, "store")
        os.environ["ARTTUI_CACHE_DIR"] = os.path.join(work, "cache")
        os.chdir(work)

        def command(*arguments: str) -> object:
            completed = subprocess.run([binary, *arguments, "--json"], capture_output=True, check=True)
            return json.loads(completed.stdout)

        def new_file(tag: str, index: int) -> str:
            path = os.path.join(work, f"{tag}-{index}.txt")
            with open(path, "w") as handle:
                handle.write(f"{tag} content {index}\n")
            return path

        seed = new_file("seed", 0)
        command("put", seed, "-n", "bench/data")
        api = arttui.Api()
        python, direct = paired_medians_ms(
            repetitions, lambda _: api.artifact("bench/data:latest"), lambda _: command("show", "bench/data:latest")
        )
        rows = [("Api().artifact('bench/data:latest')", python), ("arttui show bench/data:latest --json", direct)]
        run = arttui.init(project="bench", id="bench-run")

        def log_from_python(index: int) -> None:
            artifact = arttui.Artifact("py-logged", "dataset")
            artifact.add_file(new_file("py", index))
            run.log_artifact(artifact)

        python, direct = paired_medians_ms(
            repetitions,
            log_from_python,
            lambda i: command("put", new_file("cli", i), "-n", "bench/cli-logged", "--run", run.id),
        )
        rows.append(("run.log_artifact(1-file Artifact)", python))
        rows.append(("arttui put FILE -n bench/cli-logged --run ID --json", direct))
        run.finish()

        def log_without_run(index: int) -> None:
            artifact = arttui.Artifact("auto-logged", "dataset")
            artifact.add_file(new_file("auto", index))
            arttui.log_artifact(artifact)

        rows.append(("arttui.log_artifact(1-file Artifact), no run", median_ms(repetitions, log_without_run)))
    width = max(len(name) for name, _ in rows)
    print(f"median of {repetitions} repetitions, {binary}")
    for name, milliseconds in rows:
        print(f"{name.ljust(width)}  {milliseconds:8.1f} ms")
    print(f"ratio Api().artifact / show:        {rows[0][1] / rows[1][1]:.2f}")
    print(f"ratio run.log_artifact / put --run: {rows[2][1] / rows[3][1]:.2f}")
    print(f"ratio log_artifact without run / put --run: {rows[4][1] / rows[3][1]:.2f}")


if __name__ == "__main__":
    main()
