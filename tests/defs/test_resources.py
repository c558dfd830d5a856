"""The store resource: a run that Dagster launches reads the lake on one shared connection."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import build_defs
from pipelines.defs.automation import partition_tags
from pipelines.defs.run import materialise
from pipelines.store import lake
from pipelines.store.lake import PARTITION_KEYS


def test_a_launched_run_reads_the_lake_on_one_connection(tmp_path, seeds_dir, monkeypatch):
    wh = tmp_path / "wh" / "claims.sqlite"
    assert materialise(seeds_dir, wh).success  # a lake to read
    (seeds_dir / "late.txt").write_text("Late news\n\n“Not yet,” the coach said on Sunday.\n", encoding="utf-8")
    opened = []
    connect = lake.connect

    def counted(p, read_only=True, snapshot=None):
        opened.append(read_only)
        return connect(p, read_only=read_only, snapshot=snapshot)

    monkeypatch.setattr(lake, "connect", counted)
    job = build_defs(seeds=str(seeds_dir), warehouse=str(wh)).resolve_job_def("materialise_all")
    # as the daemon's run worker does: the job alone, no CLI around it
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), tags=partition_tags(list(PARTITION_KEYS)))
    assert result.success
    assert opened.count(True) == 1 and opened.count(False) == 1  # one reader, one writer (the commit)
