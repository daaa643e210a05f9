"""What an ML engineer's everyday scripts do after `import arttui as wandb`: each test is a defect
such a script hit, kept so it cannot come back."""

from __future__ import annotations

from pathlib import Path as FilePath

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
    try:
        stored.verify(root)
    except ValueError as error:
        assert "changed model.pt" in str(error)
    else:
        raise AssertionError("verify accepted a reference file whose content changed")
