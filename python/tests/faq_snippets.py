"""The code blocks of the reference's Artifacts FAQ (``artifacts-faq.md``), transcribed verbatim
(whitespace included: the clean-up block mixes tabs and spaces as the FAQ does).

The ``SHELL_*`` blocks are shell commands in Python fences; the rest are Python, run by the tests with
``import arttui as wandb`` in place of ``import wandb``.
"""

UPDATE_ARTIFACT = '''\
api = wandb.Api()
artifact = api.artifact("car-vision-project/bike-dataset:latest")

# Update the description
artifact.description = "My new description"

# Selectively update metadata keys
artifact.metadata["oldKey"] = "new value"

# Replace the metadata entirely
artifact.metadata = {"newKey": "new value"}

# Add an alias
artifact.aliases.append("best")
# Remove an alias
artifact.aliases.remove("latest")

# Completely replace the aliases
artifact.aliases = ["replaced"]

# Persist all artifact modifications
artifact.save()
'''

LOG_TO_EXISTING_RUN = '''\
with wandb.init(id="existing_run_id", resume="allow") as run:
    artifact = wandb.Artifact("artifact_name", "artifact_type")
    artifact.add_file("my_data/file.txt")
    run.log_artifact(artifact)
'''

SHELL_PUT = '''\
$ wandb artifact put -n project/artifact -t dataset mnist/
'''

SHELL_GET = '''\
$ wandb artifact get project/artifact:alias --root mnist/
'''

DOWNLOAD_OUTSIDE_RUN = '''\
api = wandb.Api()

artifact = api.artifact("project/artifact:alias")
artifact_dir = artifact.checkout()
'''

GRAPH_FROM_ARTIFACT = '''\
api = wandb.Api()

artifact = api.artifact("project/artifact:alias")

# Walk up the graph from an artifact:
producer_run = artifact.logged_by()
# Walk down the graph from an artifact:
consumer_runs = artifact.used_by()

# Walk down the graph from a run:
next_artifacts = consumer_runs[0].logged_artifacts()
# Walk up the graph from a run:
previous_artifacts = producer_run.used_artifacts()
'''

GRAPH_FROM_RUN = '''\
api = wandb.Api()

run = api.run("entity/project/run_id")

# Walk down the graph from a run:
produced_artifacts = run.logged_artifacts()
# Walk up the graph from a run:
consumed_artifacts = run.used_artifacts()

# Walk up the graph from an artifact:
earlier_run = consumed_artifacts[0].logged_by()
# Walk down the graph from an artifact:
consumer_runs = produced_artifacts[0].used_by()
'''

CLEAN_UP_VERSIONS = '''\
# When using artifact api methods that don't have an entity or project
#  argument, you must provide that information when instantiating the wandb.Api
api = wandb.Api(overrides={"project": "capsule-gpt", "entity": "geoff"})

artifact_type, artifact_name = ... # fill in the desired type + name
for version in api.artifact_versions(artifact_type, artifact_name):
  # Clean up all versions that don't have an alias such as 'latest'.
	# NOTE: You can put whatever deletion logic you want here.
  if len(version.aliases) == 0:
      version.delete()
'''

DELETE_WITH_ALIASES = '''\
for artifact in run.logged_artifacts():
    artifact.delete(delete_aliases=True)  
'''

SHELL_CACHE_CLEANUP = '''\
$ wandb artifact cache cleanup 1GB
'''

SWEEP_MODEL_ARTIFACT = '''\
wandb.Artifact(name="sweep_name", type="model")
'''

BEST_RUN_IN_SWEEP = '''\
api = wandb.Api()
sweep = api.sweep("entity/project/sweep_id")
runs = sorted(sweep.runs,
              key=lambda run: run.summary.get("val_acc", 0), reverse=True)
best_run = runs[0]
for artifact in best_run.logged_artifacts():
  artifact_path = artifact.download()
  print(artifact_path)
'''

SAVE_CODE = '''\
code_artifact = wandb.Artifact(type="code")
code_artifact.add_file("./train.py")
wandb.log_artifact(code_artifact)
'''

DISTRIBUTED_WRITERS = '''\
import wandb
import time

# We will use ray to launch our runs in parallel
# for demonstration purposes. You can orchestrate
# your parallel runs however you want.
import ray

ray.init()

artifact_type = "dataset"
artifact_name = "parallel-artifact"
table_name = "distributed_table"
parts_path = "parts"
num_parallel = 5

# Each batch of parallel writers should have its own
# unique group name.
group_name = "writer-group-{}".format(round(time.time()))

@ray.remote
def train(i):
  """
  Our writer job. Each writer will add one image to the artifact.
  """
  with wandb.init(group=group_name) as run:
    artifact = wandb.Artifact(name=artifact_name, type=artifact_type)
    
    # Add data to a wandb table. In this case we use example data
    table = wandb.Table(columns=["a", "b", "c"], data=[[i, i*2, 2**i]])
    
    # Add the table to folder in the artifact
    artifact.add(table, "{}/table_{}".format(parts_path, i))
    
    # Upserting the artifact creates or appends data to the artifact
    run.upsert_artifact(artifact)
  
# Launch your runs in parallel
result_ids = [train.remote(i) for i in range(num_parallel)]

# Join on all the writers to make sure their files have
# been added before finishing the artifact. 
ray.get(result_ids)

# Once all the writers are done writing, finish the artifact
# to mark it ready.
with wandb.init(group=group_name) as run:
  artifact = wandb.Artifact(artifact_name, type=artifact_type)
  
  # Create a "PartitionTable" pointing to the folder of tables
  # and add it to the artifact.
  artifact.add(wandb.data_types.PartitionedTable(parts_path), table_name)
  
  # Finish artifact finalizes the artifact, disallowing future "upserts"
  # to this version.
  run.finish_artifact(artifact)
'''

PYTHON_SNIPPETS = {
    'UPDATE_ARTIFACT': UPDATE_ARTIFACT,
    'LOG_TO_EXISTING_RUN': LOG_TO_EXISTING_RUN,
    'DOWNLOAD_OUTSIDE_RUN': DOWNLOAD_OUTSIDE_RUN,
    'GRAPH_FROM_ARTIFACT': GRAPH_FROM_ARTIFACT,
    'GRAPH_FROM_RUN': GRAPH_FROM_RUN,
    'CLEAN_UP_VERSIONS': CLEAN_UP_VERSIONS,
    'DELETE_WITH_ALIASES': DELETE_WITH_ALIASES,
    'SWEEP_MODEL_ARTIFACT': SWEEP_MODEL_ARTIFACT,
    'BEST_RUN_IN_SWEEP': BEST_RUN_IN_SWEEP,
    'SAVE_CODE': SAVE_CODE,
    'DISTRIBUTED_WRITERS': DISTRIBUTED_WRITERS,
}

SHELL_SNIPPETS = {
    'SHELL_PUT': SHELL_PUT,
    'SHELL_GET': SHELL_GET,
    'SHELL_CACHE_CLEANUP': SHELL_CACHE_CLEANUP,
}
