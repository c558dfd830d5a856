"""Running a build in this process (the CLI, the tests, the benchmark): no server, no daemon.

The run asks only for the partitions that changed (every one with `full`); with none changed it
still ingests (new unreadable files become error rows), verifies the exports and the pages.
"""

from __future__ import annotations

import contextlib

import dagster as dg

from pipelines.settings import Paths, paths

UNPARTITIONED = ("documents", "ingest_errors", "claims_lake", "article_pages")


def materialise(seeds=None, warehouse=None, instance: dg.DagsterInstance | None = None, log_level: str = "ERROR",
                full: bool = False, p: Paths | None = None) -> dg.ExecuteInProcessResult:
    """Build the lake from the seeds folder in this process; returns Dagster's result (not raised)."""
    from pipelines.cluster import prewarm
    from pipelines.definitions import build_defs
    from pipelines.defs.automation import partition_tags
    from pipelines.defs.changes import changed_partitions
    from pipelines.ingest import incremental
    from pipelines.store import lake
    from pipelines.store.lake import PARTITION_KEYS

    p = p or paths(seeds, warehouse)
    defs = build_defs(seeds=str(p.seeds), warehouse=str(p.warehouse))
    job = defs.resolve_job_def("materialise_all")
    errors: list = []
    found = incremental.walk(p.seeds, errors) if p.seeds.is_dir() else []
    # the planning and the run read the lake on one connection (`lake.shared_reader`)
    with lake.shared_reader(p):
        keys = list(PARTITION_KEYS) if full else changed_partitions(p, {rel: st for rel, st in found if st is not None})
        if keys:  # articles to analyse, probably: a worker loads the extraction core while the run starts
            prewarm.start()
        run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
        instance = instance or dg.DagsterInstance.ephemeral()
        selection = {"tags": partition_tags(keys)} if keys else {"asset_selection": [dg.AssetKey(k) for k in UNPARTITIONED]}
        # the run's ingest reads the folder as this walk found it (one walk per build)
        try:
            with incremental.walked(p.seeds, found, errors) if p.seeds.is_dir() else contextlib.nullcontext():
                return job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config, **selection)
        finally:
            prewarm.stop()  # not taken: the run analysed nothing, or failed before
