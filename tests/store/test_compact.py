"""Compaction: fewer data files, the current tables unchanged, the kept snapshots still citable,
the expired ones gone; the same from the CLI and as the Dagster job."""

from __future__ import annotations

import pytest

from pipelines.__main__ import main
from pipelines.defs.run import materialise
from pipelines.schemas import SCHEMAS
from pipelines.settings import paths
from pipelines.store import compact, lake
from tests.cluster.corpus import article

BUILDS = 3


def contents(p, snapshot: int | None = None) -> dict[str, list[tuple]]:
    """Every contract table's rows, sorted, as a reader at `snapshot` (default: the latest) sees them."""
    con = lake.connect(p, read_only=True, snapshot=snapshot)
    try:
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in SCHEMAS}
    finally:
        con.close()


@pytest.fixture
def lake_of_builds(tmp_path):
    """A lake made by BUILDS builds, each adding an article and the last one removing the first."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    p = paths(seeds, tmp_path / "wh" / "claims.sqlite")
    for i in range(BUILDS):
        (seeds / f"a{i}.txt").write_text(article(i), encoding="utf-8")
        if i == BUILDS - 1:
            (seeds / "a0.txt").unlink()
        assert materialise(seeds, p.warehouse).success
    return p


def test_compaction_keeps_the_current_tables_and_the_kept_snapshots(lake_of_builds, capsys):
    p = lake_of_builds
    con = lake.connect(p, read_only=True)
    ids = [s["snapshot_id"] for s in lake.snapshots(con)]
    files = compact.data_files(con)
    con.close()
    keep = 2
    now, kept = contents(p), {s: contents(p, s) for s in ids[-keep:]}
    assert main(["--warehouse", str(p.warehouse), "compact", "--keep", str(keep)]) == 0
    assert f"data files: {files} ->" in capsys.readouterr().out
    assert contents(p) == now  # the current tables, row for row
    for snapshot, rows in kept.items():
        assert contents(p, snapshot) == rows  # a kept snapshot is still citable, with what it held
        assert main(["--warehouse", str(p.warehouse), "query", "--as-of", str(snapshot), "--format", "csv",
                     "SELECT count(*) AS n FROM articles"]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == str(len(rows["articles"]))
    con = lake.connect(p, read_only=True)
    after = [s["snapshot_id"] for s in lake.snapshots(con)]
    merged = compact.data_files(con)
    con.close()
    assert ids[0] not in after and set(ids[-keep:]) <= set(after)  # the oldest is expired, the recent kept
    assert merged < files  # one file per table and build merged into fewer
    with pytest.raises(Exception, match="(?i)snapshot"):
        contents(p, ids[0])
    # the files only expired snapshots used are deleted once their grace is over
    lake_files = lambda: set((p.warehouse.parent / "lake").rglob("*.parquet"))  # noqa: E731
    before = lake_files()
    assert compact.compact(p, keep=1).files_deleted == 0  # freed seconds ago: a reader may still be in them
    assert compact.compact(p, keep=1, grace_s=0).files_deleted > 0  # past the grace
    assert len(lake_files()) < len(before) and contents(p) == now


def test_the_dagster_job_compacts(lake_of_builds):
    from pipelines.definitions import build_defs

    p = lake_of_builds
    now = contents(p)
    defs = build_defs(seeds=str(p.seeds), warehouse=str(p.warehouse))
    assert "weekly_compaction" in {s.name for s in defs.schedules}
    result = defs.resolve_job_def("compact_lake").execute_in_process()
    assert result.success
    assert contents(p) == now
    con = lake.connect(p, read_only=True)
    assert len(lake.snapshots(con)) <= compact.KEEP_SNAPSHOTS
    con.close()
