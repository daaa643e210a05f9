"""The package's own logic: paths, tables, drafts, saving, errors, runs; effects checked with the command line."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path as FilePath

import pytest

import arttui
from arttui import _cli
from arttui._paths import Path
from conftest import CommandLine, write


# Paths -------------------------------------------------------------------------------------------


def test_paths_take_defaults_for_missing_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARTTUI_PROJECT", raising=False)
    assert Path.parse("mnist:v3") == Path(None, "uncategorized", "mnist:v3")
    monkeypatch.setenv("ARTTUI_PROJECT", "vision")
    assert Path.parse("mnist") == Path(None, "vision", "mnist")
    assert Path.parse("p/mnist", project="x", entity="e") == Path("e", "p", "mnist")
    assert Path.parse("e/p/mnist:best").address == "e/p/mnist:best"
    for bad in ("", "a/b/c/d", "a//b", "/a"):
        with pytest.raises(ValueError):
            Path.parse(bad)


# Tables ------------------------------------------------------------------------------------------


def test_table_constructor_shapes() -> None:
    assert arttui.Table(columns=["a", "b"], data=[[1, 2]]).data == [[1, 2]]
    assert arttui.Table(columns=["a"], rows=[[1], [2]]).get_column("a") == [1, 2]
    assert arttui.Table(data=[[1, 2]]).columns == ["Column_1", "Column_2"]

    class Frame:  # the two attributes of a pandas DataFrame a Table reads
        columns = ["x", "y"]

        class values:
            @staticmethod
            def tolist() -> list:
                return [[1, "one"], [2, "two"]]

    table = arttui.Table(dataframe=Frame())
    assert table.columns == ["x", "y"] and len(table) == 2
    table.add_column("z", [True, False])
    assert table.data == [[1, "one", True], [2, "two", False]]
    with pytest.raises(ValueError, match="2 values for 3 columns"):
        table.add_data(1, 2)
    with pytest.raises(ValueError, match="not a JSON value"):
        arttui.Table(columns=["a"], data=[[object()]])
    with pytest.raises(ValueError, match="Infinity"):
        arttui.Table(columns=["a"], data=[[math.inf]])
    assert json.loads(arttui.Table(columns=["a"], data=[[math.nan]]).to_json())["data"] == [[None]]
    with pytest.raises(ValueError, match="inside the artifact"):
        arttui.data_types.PartitionedTable("../parts")


def test_tables_round_trip_through_the_store(cli: CommandLine) -> None:
    with arttui.init(project="eval") as run:
        artifact = arttui.Artifact("results", "eval")
        artifact.add(arttui.Table(columns=["split", "accuracy"], data=[["valid", 0.9], ["test", 0.8]]), "scores")
        artifact.add(arttui.Table(columns=["n"], data=[[1]]), "more/extra.table.json")
        run.log_artifact(artifact)
    files = sorted(f["path"] for f in cli.json("show", "eval/results", "--files")["files"])
    assert files == ["more/extra.table.json", "scores.table.json"]
    assert cli.json("show", "eval/results", "--table", "scores") == {
        "columns": ["split", "accuracy"],
        "data": [["valid", 0.9], ["test", 0.8]],
    }
    assert arttui.Api().artifact("eval/results:latest").get("scores") == arttui.Table(
        columns=["split", "accuracy"], data=[["valid", 0.9], ["test", 0.8]]
    )


# Drafts ------------------------------------------------------------------------------------------


def test_draft_entries_land_where_the_reference_puts_them(cli: CommandLine) -> None:
    write("data/one.txt", "1")
    write("data/deep/two.txt", "2")
    write("notes.md", "notes")
    artifact = arttui.Artifact("bundle", "dataset", description="first", metadata={"rows": 2, "gap": math.nan})
    artifact.add_dir("data")
    artifact.add_dir("data", name="copy")
    artifact.add_file("notes.md", name="docs/README.md")
    with artifact.new_file("generated/config.json") as handle:
        handle.write('{"lr": 0.1}')
    with pytest.raises(arttui.ArtifactNotLoggedError):
        artifact.version
    logged = arttui.log_artifact(artifact, aliases=["candidate"])
    assert logged is artifact and artifact.name == "bundle:v0" and artifact.version == "v0"
    files = {f["path"]: f["size"] for f in cli.json("show", "uncategorized/bundle:v0", "--files")["files"]}
    assert files == {
        "one.txt": 1, "deep/two.txt": 1, "copy/one.txt": 1, "copy/deep/two.txt": 1,
        "docs/README.md": 5, "generated/config.json": 11,
    }
    shown = cli.json("show", "uncategorized/bundle:candidate")
    assert shown["description"] == "first" and shown["metadata"] == {"rows": 2, "gap": None}
    assert artifact.digest == shown["digest"] and artifact.size == 20 and artifact.file_count == 6
    with pytest.raises(arttui.ArtifactFinalizedError):
        artifact.add_file("notes.md")


def test_draft_input_errors_are_caught_before_logging(cli: CommandLine) -> None:
    with pytest.raises(TypeError, match="needs a type"):
        arttui.Artifact("x")
    with pytest.raises(ValueError, match="may only contain"):
        arttui.Artifact("a b", "dataset")
    artifact = arttui.Artifact("x", "dataset")
    with pytest.raises(ValueError, match="is not a file"):
        artifact.add_file("missing.txt")
    with pytest.raises(ValueError, match="not a relative path"):
        artifact.add_file(write("f.txt", "f"), name="../escape.txt")
    with pytest.raises(ValueError, match="JSON"):
        artifact.metadata = {"bad": math.inf}


def test_same_content_makes_no_new_version(cli: CommandLine) -> None:
    write("data/a.txt", "same")
    first, second = arttui.Artifact("d", "dataset"), arttui.Artifact("d", "dataset")
    first.add_dir("data")
    second.add_dir("data")
    arttui.log_artifact(first)
    arttui.log_artifact(second, aliases=["again"])
    assert second.version == "v0" and "again" in second.aliases
    assert [v["version"] for v in cli.json("ls", "uncategorized/d")] == ["v0"]


def test_reference_entries(cli: CommandLine) -> None:
    if not _cli.supports(["put"], "--reference"):
        pytest.skip("this arttui has no `put --reference` yet (the refs branch adds it)")
    target = write("outside/data.csv", "a,b\n1,2\n")
    artifact = arttui.Artifact("refs", "dataset")
    artifact.add_reference(FilePath(target).resolve().as_uri())
    arttui.log_artifact(artifact)
    assert len(cli.json("show", "uncategorized/refs:v0", "--files")["files"]) == 1


def test_a_named_reference_is_placed_at_its_name(cli: CommandLine) -> None:
    # add_reference(name=) was refused; the reference places a single object at `name` and a folder's
    # objects under it.
    target = write("outside/data.csv", "a,b\n1,2\n")
    write("outside/tree/x.txt", "x")
    artifact = arttui.Artifact("named", "dataset")
    artifact.add_reference(FilePath(target).resolve().as_uri(), name="tables/train.csv")
    artifact.add_reference(FilePath("outside/tree").resolve().as_uri(), name="raw")
    arttui.log_artifact(artifact)
    files = cli.json("show", "uncategorized/named:v0", "--files")["files"]
    assert sorted(entry["path"] for entry in files) == ["raw/x.txt", "tables/train.csv"]
    with pytest.raises(ValueError):
        arttui.Artifact("bad", "dataset").add_reference(FilePath(target).resolve().as_uri(), name="../up")


# Saving a stored version -------------------------------------------------------------------------


def test_save_sends_only_what_changed_and_keeps_managed_aliases(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art", "-a", "keep", "-a", "drop", "-d", "old")
    artifact = arttui.Api().artifact("p/art:keep")
    artifact.aliases.remove("drop")
    artifact.aliases.remove("latest")  # the store's alias: ignored
    artifact.aliases.append("new")
    artifact.save()
    assert sorted(cli.json("show", "p/art:v0")["aliases"]) == ["keep", "latest", "new"]
    assert sorted(artifact.aliases) == ["keep", "latest", "new"]
    assert cli.json("show", "p/art:v0")["description"] == "old"
    artifact.aliases.remove("latest")
    artifact.save()  # nothing to store
    assert "latest" in artifact.aliases


def test_save_is_all_or_nothing(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art")
    artifact = arttui.Api().artifact("p/art")
    artifact.description = "changed"
    artifact.aliases.append("bad/alias")
    with pytest.raises(arttui.CommError) as caught:
        artifact.save()
    assert "bad/alias" in caught.value.message and "\n" not in caught.value.message
    assert cli.json("show", "p/art:v0")["description"] == ""


def test_alias_moves_between_versions(cli: CommandLine) -> None:
    for content in ("one", "two"):
        write("d/a.txt", content)
        cli.run("put", "d", "-n", "p/art")
    api = arttui.Api(overrides={"project": "p"})
    first = api.artifact("art:v0")
    first.aliases.append("best")
    first.save()
    second = api.artifact("art:v1")
    second.aliases.append("best")
    second.save()
    assert cli.json("show", "p/art:best")["version"] == "v1"


# Errors ------------------------------------------------------------------------------------------


def test_errors_carry_the_command_lines_message(cli: CommandLine) -> None:
    api = arttui.Api()
    with pytest.raises(arttui.CommError) as caught:
        api.artifact("vision/nothing:latest")
    assert caught.value.message == cli.fails("show", "vision/nothing:latest").removeprefix("arttui: error: ")
    assert caught.value.exit_status == 1 and caught.value.command[1] == "show"
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art")
    with pytest.raises(ValueError, match="of type dataset, not model"):
        api.artifact("p/art", type="model")
    with pytest.raises(arttui.CommError, match="of type dataset"):
        api.artifact_versions("model", "p/art")
    with pytest.raises(arttui.CommError, match="not found"):
        api.sweep("p/none")


def test_missing_executable_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: FilePath) -> None:
    monkeypatch.setenv("ARTTUI_BIN", str(tmp_path / "nothing"))
    with pytest.raises(arttui.errors.ExecutableNotFoundError, match="ARTTUI_BIN"):
        arttui.Api().artifact("p/a")


def test_remote_is_passed_through(cli: CommandLine, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _cli.Target.from_environment(remote="team").options() == ["--remote=team"]
    monkeypatch.setenv("ARTTUI_REMOTE", "shared")
    assert _cli.Target.from_environment().options() == ["--remote=shared"]
    assert arttui.Api(remote="team")._target.remote == "team"
    monkeypatch.delenv("ARTTUI_REMOTE")
    if _cli.supports(["ls"], "--remote"):
        pytest.skip("this arttui has --remote: exercised by the team-server tests, which start a server")
    with pytest.raises(arttui.CommError, match="remote"):
        arttui.Api(remote="team").artifact("p/a")


# Runs ----------------------------------------------------------------------------------------------


def test_run_records_config_summary_lineage_and_state(cli: CommandLine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTTUI_PROJECT", "vision")
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "vision/mnist", "-a", "best")
    with arttui.init(name="train", job_type="train", group="g1", config={"lr": 0.1}) as run:
        assert arttui.run is run
        data = run.use_artifact("mnist:best")
        assert data.version == "v0"
        run.log({"val_acc": 0.5})
        run.summary["val_acc"] = 0.93
        arttui.log({"epochs": 3})
    assert arttui.run is None
    shown = cli.json("run", "show", run.id)
    assert shown["run"]["project"] == "vision" and shown["run"]["group"] == "g1"
    assert shown["run"]["config"] == {"lr": 0.1} and shown["run"]["jobType"] == "train"
    assert shown["run"]["summary"] == {"val_acc": 0.93, "epochs": 3}
    assert shown["used"] == ["vision/mnist:v0"] and shown["run"]["state"] == "finished"
    api_run = arttui.Api().run(f"vision/{run.id}")
    assert api_run.summary["val_acc"] == 0.93 and [a.name for a in api_run.used_artifacts()] == ["mnist:v0"]
    api_run.summary["note"] = "checked"
    api_run.update()
    assert cli.json("run", "show", run.id)["run"]["summary"]["note"] == "checked"
    with pytest.raises(arttui.CommError, match="not vision2"):
        arttui.Api().run(f"vision2/{run.id}")


def test_a_failing_block_marks_the_run_failed(cli: CommandLine) -> None:
    with pytest.raises(RuntimeError):
        with arttui.init(project="p", id="boom"):
            raise RuntimeError("training diverged")
    assert cli.json("run", "show", "boom")["run"]["state"] == "failed"


def test_resume_modes(cli: CommandLine) -> None:
    arttui.init(project="p", id="r1").finish()
    with pytest.raises(arttui.CommError, match="r1"):
        arttui.init(project="p", id="r1")
    with pytest.raises(arttui.CommError):
        arttui.init(project="p", id="r2", resume="must")
    arttui.init(project="p", id="r1", resume="must").finish()
    with pytest.raises(ValueError, match="resume"):
        arttui.init(project="p", resume="sometimes")


def test_upsert_needs_a_shared_id(cli: CommandLine) -> None:
    with arttui.init(project="p") as run:
        with pytest.raises(arttui.UsageError, match="distributed_id"):
            run.upsert_artifact(arttui.Artifact("x", "dataset"))


def test_upsert_and_finish_with_distributed_id(cli: CommandLine) -> None:
    for part in range(2):
        with arttui.init(project="p") as run:
            artifact = arttui.Artifact("shards", "dataset")
            with artifact.new_file(f"shard-{part}.txt", mode="w") as handle:
                handle.write(f"shard {part}")
            run.upsert_artifact(artifact, distributed_id="batch-1")
    assert cli.json("ls", "p/shards") == []
    with arttui.init(project="p") as run:
        final = arttui.Artifact("shards", "dataset", description="two shards", metadata={"parts": 2})
        run.finish_artifact(final, distributed_id="batch-1", aliases=["complete"])
    shown = cli.json("show", "p/shards:complete", "--files")
    assert sorted(f["path"] for f in shown["files"]) == ["shard-0.txt", "shard-1.txt"]
    assert shown["description"] == "two shards" and shown["metadata"] == {"parts": 2}
    assert final.version == "v0" and final.description == "two shards"


def test_artifact_types_and_collections(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/data", "-t", "dataset")
    cli.run("put", "d", "-n", "p/weights", "-t", "model")
    api = arttui.Api()
    types = {t.name: [c.name for c in t.collections()] for t in api.artifact_types("p")}
    assert types == {"dataset": ["data"], "model": ["weights"]}
    assert [a.name for a in api.artifact_type("model", "p").collection("weights").versions()] == ["weights:v0"]
    assert api.artifact_exists("p/data") and not api.artifact_exists("p/nothing")


def test_verify_names_each_difference(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    write("d/b.txt", "b")
    cli.run("put", "d", "-n", "p/art")
    artifact = arttui.Api().artifact("p/art")
    root = artifact.download(root="out")
    artifact.verify(root)
    write("out/a.txt", "changed")
    os.remove("out/b.txt")
    write("out/c.txt", "extra")
    with pytest.raises(ValueError) as caught:
        artifact.verify("out")
    assert "changed a.txt" in str(caught.value) and "missing b.txt" in str(caught.value)
    assert "not in the artifact c.txt" in str(caught.value)
    assert [f.name for f in artifact.files()] == ["a.txt", "b.txt"]


def test_methods_of_a_deleted_version_raise_the_stores_message(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art")
    artifact = arttui.Api().artifact("p/art:v0")
    artifact.delete()
    assert artifact.state == "DELETED"
    for method in (artifact.verify, artifact.download, artifact.files):
        with pytest.raises(arttui.CommError, match="v0"):
            method()


def test_every_public_name_has_a_docstring_and_type_hints() -> None:
    import inspect

    from arttui import public

    missing = []
    named = [(name, getattr(arttui, name)) for name in arttui.__all__] + [("public.Run", public.Run)]
    for name, value in named:
        if inspect.ismodule(value) or value is None:
            continue
        if not inspect.getdoc(value):
            missing.append(f"{name}: no docstring")
        members = [(name, value)]
        if inspect.isclass(value):
            members += [
                (f"{name}.{attribute}", member)
                for attribute, member in vars(value).items()
                if not attribute.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
            ]
        for qualified, member in members:
            function = member.fget if isinstance(member, property) else member
            if inspect.isclass(function):
                function = function.__init__
            if not inspect.isfunction(function):
                continue
            if not inspect.getdoc(member):
                missing.append(f"{qualified}: no docstring")
            annotations = function.__annotations__
            parameters = [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]
            unannotated = [p for p in parameters if p not in annotations and p != "_"]
            if "return" not in annotations or unannotated:
                missing.append(f"{qualified}: type hints missing for {unannotated or ['return']}")
    assert missing == []


def test_api_can_name_its_own_store_and_cache(cli: CommandLine, tmp_path: FilePath) -> None:
    other_store, other_cache = tmp_path / "other-store", tmp_path / "other-cache"
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/here")
    arguments = ["put", "d", "-n", "p/there", "--store", str(other_store), "--cache-dir", str(other_cache)]
    subprocess.run([_cli.find_executable(), *arguments], check=True, capture_output=True)
    other = arttui.Api(store=str(other_store), cache_dir=str(other_cache))
    assert other.artifact("p/there").version == "v0"
    assert not other.artifact_exists("p/here") and arttui.Api().artifact_exists("p/here")
    other.artifact("p/there").download(root="got")
    assert FilePath("got/a.txt").read_text() == "a" and any(other_cache.rglob("*"))


def test_saving_a_draft_logs_it_from_the_active_run_or_an_auto_run(cli: CommandLine) -> None:
    write("d/a.txt", "a")
    draft = arttui.Artifact("saved", "dataset")
    draft.add_dir("d")
    draft.save()
    producer = cli.json("show", "uncategorized/saved:v0")["loggedBy"]
    assert cli.json("run", "show", producer)["run"]["jobType"] == "auto"
    write("d/a.txt", "b")
    with arttui.init(project="uncategorized", id="explicit"):
        second = arttui.Artifact("saved", "dataset")
        second.add_dir("d")
        second.save()
    assert cli.json("show", "uncategorized/saved:v1")["loggedBy"] == "explicit"
