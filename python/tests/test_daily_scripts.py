"""What an ML engineer's everyday scripts do after `import arttui as wandb`: each test is a defect
such a script hit, kept so it cannot come back."""

from __future__ import annotations

from pathlib import Path as FilePath

import pytest

import arttui as wandb
from conftest import CommandLine, write


def test_verify_accepts_a_downloaded_file_reference(cli: CommandLine) -> None:
    # A `file://` reference records `sha256:HEX`; verify compared that text with the bare hex of the
    # downloaded file and called every reference "changed" right after a clean download.
    source = write("outside/model.pt", "weights")
    with wandb.init(project="p") as run:
        artifact = wandb.Artifact("model", type="model")
        artifact.add_reference(FilePath(source).resolve().as_uri())
        run.log_artifact(artifact)
    stored = wandb.Api().artifact("p/model:latest")
    root = stored.download(root="out")
    stored.verify(root)
    write("out/model.pt", "weightz")  # same size: only hashing can tell
    with pytest.raises(ValueError) as caught:
        stored.verify(root)
    assert "changed model.pt" in str(caught.value)


def test_one_file_is_fetched_by_get_path_get_entry_and_files(cli: CommandLine) -> None:
    # `artifact.get_path("x").download()` is how scripts fetch one file of a big artifact; it was missing
    # (AttributeError), as were get_entry, files()[i].download() and artifact["table"].
    write("data/a.txt", "a")
    write("data/sub/b.txt", "b")
    with wandb.init(project="p") as run:
        artifact = wandb.Artifact("ds", type="dataset")
        artifact.add_dir("data")
        artifact.add(wandb.Table(columns=["x"], data=[[1]]), "preds")
        run.log_artifact(artifact)
    stored = wandb.Api().artifact("p/ds:latest")
    path = stored.get_path("sub/b.txt").download()
    assert FilePath(path).read_text() == "b"
    assert sorted(str(p) for p in FilePath("artifacts/ds:v0").rglob("*") if p.is_file()) == [
        "artifacts/ds:v0/sub/b.txt"
    ]
    entry = stored.get_entry("a.txt")
    assert (entry.path, entry.size) == ("a.txt", 1)
    assert FilePath(entry.download(root="one")).read_text() == "a"
    assert [p.name for p in FilePath("one").iterdir()] == ["a.txt"]
    by_name = {file.name: file for file in stored.files()}
    assert FilePath(by_name["sub/b.txt"].download(root="two")) == FilePath("two/sub/b.txt").resolve()
    assert stored["preds"].data == [[1]]
    with pytest.raises(KeyError) as caught:
        stored.get_entry("nope.txt")
    assert "nope.txt" in str(caught.value)


def test_a_missing_artifact_is_the_references_value_error_and_still_a_comm_error(cli: CommandLine) -> None:
    # The reference raises ValueError for a name no version answers (a missing artifact or project, an
    # alias nobody set, a deleted version), and scripts catch it so; arttui raised only CommError.
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art")
    cli.run("put", "d/a.txt", "-n", "p/gone")
    api = wandb.Api()
    api.artifact("p/gone:v0").delete()
    for name, message in (
        ("p/nope", 'artifact "p/nope" not found'),
        ("elsewhere/art", 'project "elsewhere" not found'),
        ("p/art:nosuch", 'artifact "p/art" has no version "nosuch"'),
        ("p/gone:v0", 'artifact "p/gone" has no version "v0"'),
    ):
        for expected in (ValueError, wandb.errors.CommError):
            with pytest.raises(expected) as caught:
                api.artifact(name)
            assert str(caught.value) == message
    with wandb.init(project="p") as run:
        with pytest.raises(ValueError) as caught:
            run.use_artifact("art:nosuch")
        assert "nosuch" in str(caught.value)
    # A value the store refuses is the reference's ValueError too (it was a CommError only), told apart
    # by the kind the executable reports, not by its wording.
    artifact = api.artifact("p/art")
    artifact.aliases.append("x:y")
    for expected in (ValueError, wandb.errors.CommError):
        with pytest.raises(expected) as caught:
            artifact.save()
        assert caught.value.kind == "invalid" and "x:y" in str(caught.value)
    assert "x:y" not in api.artifact("p/art").aliases
    # Anything else the store refuses stays a CommError only: a version holding a hand-set alias.
    artifact = api.artifact("p/art")
    artifact.aliases.append("best")
    artifact.save()
    with pytest.raises(wandb.errors.CommError) as caught:
        artifact.delete()
    assert not isinstance(caught.value, ValueError) and caught.value.kind == "conflict"
    assert api.artifact("p/art:best").version == "v0"


def test_a_table_reads_back_by_the_name_it_was_added_under(cli: CommandLine) -> None:
    # `artifact.add(table, "scores.table.json")` stored the entry, but `get("scores.table.json")` said
    # there was no such table; the reference finds it under either spelling.
    table = wandb.Table(columns=["id", "score"])
    table.add_data(1, 0.5)
    with wandb.init(project="p") as run:
        artifact = wandb.Artifact("eval", type="eval")
        artifact.add(table, "scores.table.json")
        run.log_artifact(artifact)
        used = run.use_artifact("eval:latest")
    for name in ("scores", "scores.table.json"):
        assert used.get(name).data == [[1, 0.5]]


def test_waiting_on_an_artifact_never_logged_is_an_error(cli: CommandLine) -> None:
    # wait() returned a draft as if it were logged; the reference raises ArtifactNotLoggedError.
    draft = wandb.Artifact("x", type="t")
    with pytest.raises(wandb.ArtifactNotLoggedError) as caught:
        draft.wait()
    assert "wait" in str(caught.value)
    with wandb.init(project="p") as run:
        draft.add_file(write("f.txt", "f"))
        run.log_artifact(draft)
    assert draft.wait().version == "v0"


def test_an_alias_with_a_slash_is_named_as_the_problem(cli: CommandLine) -> None:
    # "p/art:a/b" was split at the '/' inside the alias and sent as "p/art:a/b:latest", so the error
    # spoke of "more than one ':'", which the user never wrote.
    write("d/a.txt", "a")
    cli.run("put", "d", "-n", "p/art")
    with pytest.raises(ValueError) as caught:
        wandb.Api().artifact("p/art:a/b")
    assert "more than one" not in str(caught.value) and "'a/b'" in str(caught.value)


def test_logging_an_empty_artifact_names_the_methods_that_fill_it(cli: CommandLine) -> None:
    # The refusal quoted the command line's options (--reference, --entry, --table), which a script never
    # passed; it now names the artifact and the methods that add files, and nothing is stored.
    with wandb.init(project="p") as run:
        with pytest.raises(ValueError) as caught:
            run.log_artifact(wandb.Artifact("empty", type="t"))
    assert "'empty'" in str(caught.value) and "add_file" in str(caught.value) and "--" not in str(caught.value)
    assert "empty" not in cli.text("ls", "p")
