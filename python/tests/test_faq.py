"""Every code block of the reference's Artifacts FAQ, run against a fresh embedded store with
``import arttui as wandb``; each effect is checked through the ``arttui`` command line."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

import pytest

import faq_snippets as faq
from conftest import CommandLine, run_snippet, write

STANDINS = str(Path(__file__).parent / "standins")


def sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def put(cli: CommandLine, address: str, *paths: str, kind: str = "dataset", extra: tuple = ()) -> dict:
    return cli.json("put", *paths, "-n", address, "-t", kind, *extra)


def start_run(cli: CommandLine, project: str, run_id: str, *extra: str) -> None:
    cli.run("run", "start", "-p", project, "--id", run_id, *extra)


def test_faq_transcription_is_verbatim() -> None:
    """The snippets here are the FAQ's own text, when the FAQ is at hand (it is not part of the package)."""
    repository = Path(__file__).resolve().parents[2]
    candidates = [os.environ.get("ARTTUI_FAQ", "")] + [
        str(parent / "shared/reference/artifacts-faq.md") for parent in (repository.parent, repository.parent.parent)
    ]
    source = next((path for path in candidates if path and os.path.exists(path)), None)
    if source is None:
        pytest.skip("the FAQ is not next to the repository (set ARTTUI_FAQ to check the transcription)")
    blocks = re.findall(r"```python\n(.*?)```", Path(source).read_text(), re.S)
    transcribed = {**faq.PYTHON_SNIPPETS, **faq.SHELL_SNIPPETS}
    assert sorted(blocks) == sorted(transcribed.values())


def test_update_artifact_programmatically(cli: CommandLine) -> None:
    write("bikes/bike-0.png", "pixels")
    put(cli, "car-vision-project/bike-dataset", "bikes", extra=("-a", "old", "--metadata", '{"oldKey": 1, "x": 2}'))

    run_snippet(faq.UPDATE_ARTIFACT)

    shown = cli.json("show", "car-vision-project/bike-dataset:v0")
    assert shown["description"] == "My new description"
    assert shown["metadata"] == {"newKey": "new value"}
    # `latest` is the store's to move (it always marks the newest version); every hand-set alias was replaced.
    assert sorted(shown["aliases"]) == ["latest", "replaced"]


def test_update_artifact_steps_persist_one_by_one(cli: CommandLine) -> None:
    import arttui as wandb

    write("bikes/bike-0.png", "pixels")
    put(cli, "car-vision-project/bike-dataset", "bikes", extra=("--metadata", '{"oldKey": 1, "kept": true}'))
    artifact = wandb.Api().artifact("car-vision-project/bike-dataset:latest")
    artifact.metadata["oldKey"] = "new value"
    artifact.aliases.append("best")
    artifact.save()
    shown = cli.json("show", "car-vision-project/bike-dataset:best")
    assert shown["metadata"] == {"oldKey": "new value", "kept": True}
    assert sorted(shown["aliases"]) == ["best", "latest"]

    artifact.aliases.remove("best")
    artifact.save()
    assert cli.json("show", "car-vision-project/bike-dataset:v0")["aliases"] == ["latest"]
    assert "best" in cli.fails("show", "car-vision-project/bike-dataset:best")


def test_log_artifact_to_existing_run(cli: CommandLine) -> None:
    start_run(cli, "uncategorized", "existing_run_id", "--name", "first-pass")
    cli.run("run", "finish", "existing_run_id")
    write("my_data/file.txt", "hello from an existing run\n")

    run_snippet(faq.LOG_TO_EXISTING_RUN)

    run = cli.json("run", "show", "existing_run_id")
    assert run["logged"] == ["uncategorized/artifact_name:v0"]
    assert run["run"]["name"] == "first-pass"
    assert run["run"]["state"] == "finished"
    shown = cli.json("show", "uncategorized/artifact_name:v0", "--files")
    assert shown["type"] == "artifact_type"
    assert shown["loggedBy"] == "existing_run_id"
    assert [(f["path"], f["digest"]) for f in shown["files"]] == [("file.txt", sha256("my_data/file.txt"))]


def test_shell_put_and_get_have_the_same_shape(cli: CommandLine) -> None:
    """The FAQ's `wandb artifact put/get/cache cleanup` lines, as `arttui put/get/cache cleanup`."""
    write("mnist/0.png", "zero")
    write("mnist/1.png", "one")
    command = faq.SHELL_PUT.strip().split()[3:]  # after "$ wandb artifact"
    assert command[:1] == ["put"]
    cli.run(*command)
    cli.run("alias", "add", "project/artifact:v0", "alias")
    os.rename("mnist", "mnist-source")
    cli.run(*faq.SHELL_GET.strip().split()[3:])
    assert Path("mnist/0.png").read_text() == "zero" and Path("mnist/1.png").read_text() == "one"
    assert cli.json("show", "project/artifact:alias")["type"] == "dataset"
    cleanup = cli.json(*faq.SHELL_CACHE_CLEANUP.strip().split()[3:])
    assert cleanup["remainingBytes"] <= 10**9


def test_download_outside_a_run(cli: CommandLine) -> None:
    write("data/a.txt", "alpha")
    write("data/sub/b.txt", "beta")
    put(cli, "project/artifact", "data", extra=("-a", "alias"))

    scope = run_snippet(faq.DOWNLOAD_OUTSIDE_RUN)

    artifact_dir = scope["artifact_dir"]
    assert Path(artifact_dir).resolve() == Path("artifacts/artifact:v0").resolve()
    assert Path(artifact_dir, "a.txt").read_text() == "alpha"
    assert Path(artifact_dir, "sub/b.txt").read_text() == "beta"
    # checkout makes the folder hold exactly the version: a stray file goes, a changed one is restored.
    write(os.path.join(artifact_dir, "stray.txt"), "not in the artifact")
    write(os.path.join(artifact_dir, "a.txt"), "edited")
    run_snippet(faq.DOWNLOAD_OUTSIDE_RUN)
    assert sorted(str(p.relative_to(artifact_dir)) for p in Path(artifact_dir).rglob("*") if p.is_file()) == [
        "a.txt",
        "sub/b.txt",
    ]
    assert Path(artifact_dir, "a.txt").read_text() == "alpha"
    assert cli.run("verify", "project/artifact:alias", "--root", artifact_dir).returncode == 0


def make_graph(cli: CommandLine, producer_id: str = "producer", project: str = "project") -> None:
    """raw:v0 -> [producer] -> artifact:v0 (alias) -> [consumer] -> derived:v0"""
    write("raw/r.txt", "raw data")
    write("model/m.bin", "weights")
    write("derived/d.txt", "predictions")
    put(cli, f"{project}/raw", "raw")
    start_run(cli, project, producer_id, "--job-type", "train")
    cli.run("use", f"{project}/raw:v0", "--run", producer_id)
    put(cli, f"{project}/artifact", "model", kind="model", extra=("-a", "alias", "--run", producer_id))
    start_run(cli, project, "consumer", "--job-type", "eval")
    cli.run("use", f"{project}/artifact:alias", "--run", "consumer")
    put(cli, f"{project}/derived", "derived", kind="result", extra=("--run", "consumer"))


def test_walk_the_graph_from_an_artifact(cli: CommandLine) -> None:
    make_graph(cli)

    scope = run_snippet(faq.GRAPH_FROM_ARTIFACT)

    assert scope["producer_run"].id == "producer"
    assert [run.id for run in scope["consumer_runs"]] == ["consumer"]
    assert [a.name for a in scope["next_artifacts"]] == ["derived:v0"]
    assert [a.name for a in scope["previous_artifacts"]] == ["raw:v0"]
    # The same answers as the command line's lineage.
    lineage = cli.json("lineage", "project/artifact:alias", "--up", "2", "--down", "2")
    keys = {node["key"] for node in lineage["nodes"]}
    assert any("producer" in key for key in keys) and any("consumer" in key for key in keys)


def test_walk_the_graph_from_a_run(cli: CommandLine) -> None:
    make_graph(cli, producer_id="run_id")

    scope = run_snippet(faq.GRAPH_FROM_RUN)

    assert [a.qualified_name for a in scope["produced_artifacts"]] == ["entity/project/artifact:v0"]
    assert [a.name for a in scope["consumed_artifacts"]] == ["raw:v0"]
    assert scope["earlier_run"] is None  # raw:v0 was put from the command line, by no run
    assert [run.id for run in scope["consumer_runs"]] == ["consumer"]
    assert cli.json("run", "show", "run_id")["logged"] == ["project/artifact:v0"]


def test_clean_up_versions_without_aliases(cli: CommandLine) -> None:
    for index in range(4):
        write("ckpt/model.bin", f"weights {index}")
        put(cli, "capsule-gpt/checkpoint", "ckpt", kind="model", extra=("-a", "best") if index == 1 else ())
    code = faq.CLEAN_UP_VERSIONS.replace(
        "artifact_type, artifact_name = ... # fill in the desired type + name",
        'artifact_type, artifact_name = "model", "checkpoint" # fill in the desired type + name',
    )
    assert code != faq.CLEAN_UP_VERSIONS

    run_snippet(code)

    remaining = cli.json("ls", "capsule-gpt/checkpoint")
    assert sorted((v["version"], tuple(v["aliases"])) for v in remaining) == [("v1", ("best",)), ("v3", ("latest",))]


def test_delete_artifacts_with_aliases(cli: CommandLine) -> None:
    import arttui as wandb

    write("a/x.txt", "x")
    write("b/y.txt", "y")
    write("c/z.txt", "z")
    start_run(cli, "project", "writer")
    put(cli, "project/first", "a", extra=("-a", "best", "--run", "writer"))
    put(cli, "project/second", "b", extra=("-a", "prod", "-a", "staging", "--run", "writer"))
    put(cli, "project/other", "c")
    run = wandb.Api().run("project/writer")
    with pytest.raises(wandb.CommError, match="still has aliases"):
        run.logged_artifacts()[0].delete()

    run_snippet(faq.DELETE_WITH_ALIASES, {"run": run})

    assert cli.json("ls", "project/first") == [] and cli.json("ls", "project/second") == []
    assert [v["version"] for v in cli.json("ls", "project/other")] == ["v0"]
    assert cli.json("run", "show", "writer")["logged"] == ["project/first:v0 (deleted)", "project/second:v0 (deleted)"]


def test_delete_with_aliases_from_a_live_run(cli: CommandLine) -> None:
    import arttui as wandb

    write("a/x.txt", "x")
    with wandb.init(project="project") as run:
        artifact = wandb.Artifact("first", "dataset")
        artifact.add_dir("a")
        run.log_artifact(artifact, aliases=["best"])
        run_snippet(faq.DELETE_WITH_ALIASES, {"run": run})
    assert cli.json("ls", "project/first") == []


def test_sweep_model_artifact(cli: CommandLine, monkeypatch: pytest.MonkeyPatch) -> None:
    import arttui as wandb

    run_snippet(faq.SWEEP_MODEL_ARTIFACT)
    # The pattern it describes: every run of the sweep logs a version of that one artifact.
    monkeypatch.setenv("ARTTUI_SWEEP_ID", "sweep-7")
    for index in range(3):
        write("model.bin", f"weights {index}")
        with wandb.init(project="project") as run:
            artifact = wandb.Artifact(name="sweep_name", type="model")
            artifact.add_file("model.bin")
            run.log_artifact(artifact)
    versions = cli.json("ls", "project/sweep_name")
    assert [v["version"] for v in versions] == ["v2", "v1", "v0"]
    assert len({v["loggedBy"] for v in versions}) == 3
    assert len(cli.json("runs", "ls", "project", "--sweep", "sweep-7")) == 3


def test_artifact_of_the_best_run_in_a_sweep(cli: CommandLine, capsys: pytest.CaptureFixture[str]) -> None:
    for run_id, accuracy in (("r1", 0.71), ("r2", 0.93), ("r3", 0.88)):
        write(f"{run_id}/model.bin", f"weights of {run_id}")
        start_run(cli, "project", run_id, "--sweep", "sweep_id")
        put(cli, f"project/model-{run_id}", f"{run_id}", kind="model", extra=("--run", run_id))
        cli.run("run", "finish", run_id, "--summary", f'{{"val_acc": {accuracy}}}')
    start_run(cli, "project", "elsewhere")
    cli.run("run", "finish", "elsewhere", "--summary", '{"val_acc": 0.99}')

    run_snippet(faq.BEST_RUN_IN_SWEEP)

    printed = capsys.readouterr().out.split()
    assert len(printed) == 1
    assert Path(printed[0]).resolve() == Path("artifacts/model-r2:v0").resolve()
    assert Path(printed[0], "model.bin").read_text() == "weights of r2"
    assert cli.json("sweep", "best", "project", "sweep_id", "--metric", "val_acc")["run"]["id"] == "r2"


def test_save_code(cli: CommandLine) -> None:
    write("train.py", "print('training')\n")

    run_snippet(faq.SAVE_CODE)

    shown = cli.json("show", "uncategorized/code:latest", "--files")
    assert shown["type"] == "code"
    assert [(f["path"], f["digest"]) for f in shown["files"]] == [("train.py", sha256("train.py"))]
    producer = cli.json("run", "show", shown["loggedBy"])["run"]
    assert producer["jobType"] == "auto" and producer["state"] == "finished"


def test_save_code_inside_a_run(cli: CommandLine) -> None:
    import arttui as wandb

    write("train.py", "print('training')\n")
    with wandb.init(project="vision", id="trainer") as run:
        run_snippet(faq.SAVE_CODE)
        assert wandb.run is run
    assert cli.json("run", "show", "trainer")["logged"] == ["vision/code:v0"]


def test_distributed_writers(cli: CommandLine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(STANDINS)
    monkeypatch.delitem(sys.modules, "ray", raising=False)

    scope = run_snippet(faq.DISTRIBUTED_WRITERS)

    assert scope["ray"].__file__.startswith(STANDINS)
    versions = cli.json("ls", "uncategorized/parallel-artifact")
    assert [v["version"] for v in versions] == ["v0"]
    files = sorted(f["path"] for f in cli.json("show", "uncategorized/parallel-artifact:v0", "--files")["files"])
    assert files == ["distributed_table.partitioned-table.json"] + [f"parts/table_{i}.table.json" for i in range(5)]
    table = cli.json("show", "uncategorized/parallel-artifact:v0", "--table", "distributed_table")
    assert table["columns"] == ["a", "b", "c"]
    assert sorted(table["data"]) == [[i, i * 2, 2**i] for i in range(5)]
    writers = cli.json("runs", "ls", "uncategorized", "--group", scope["group_name"])
    assert len(writers) == 6 and all(run["state"] == "finished" for run in writers)
    assert cli.json("ls", "uncategorized/parallel-artifact", "--pending") == versions
