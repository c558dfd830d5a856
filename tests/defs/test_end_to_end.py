"""End to end: materialise the Dagster definitions into a temporary lake and query it."""

from __future__ import annotations

import json
import shutil

import dagster as dg

from pipelines.defs.run import materialise
from pipelines.settings import paths
from pipelines.store import lake
from tests.conftest import SAMPLE_ARTICLE, SEED


def run(seeds, warehouse) -> dg.ExecuteInProcessResult:
    result = materialise(seeds, warehouse)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    return result


def connect(seeds, warehouse, snapshot=None):
    return lake.connect(paths(seeds, warehouse), read_only=True, snapshot=snapshot)


def exports_bytes(warehouse) -> dict[str, bytes]:
    root = warehouse.parent / "exports"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.glob("*/*.parquet"))}


def lake_md(result, key):
    return {k: v.value for m in result.asset_materializations_for_node("claims_lake") for k, v in m.metadata.items()}[key]


def test_materialise_query_rerun_change_remove(tmp_path, seeds_dir):
    shutil.copy(SEED, seeds_dir / SEED.name)
    (seeds_dir / "broken.txt").write_bytes(b"")
    wh = tmp_path / "out" / "claims.sqlite"
    run(seeds_dir, wh)

    con = connect(seeds_dir, wh)
    assert con.execute("select count(*) from articles").fetchone()[0] == 2
    assert con.execute("select error from ingest_errors").fetchall() == [("empty",)]
    kinds = dict(con.execute("""select kind, count(*) from paragraphs p join articles a using (article_id)
                                where a.source_path = ? group by 1""", [SEED.name]).fetchall())
    assert kinds == {"headline": 1, "pull_quote": 2, "body": 17}
    assert con.execute("select count(*) from paragraphs where kind = 'pull_quote' and duplicate_of is null").fetchone()[0] == 0
    bad = con.execute("""select count(*) from sentences s join articles a using (article_id)
                         where substr(a.text, s.char_start + 1, s.char_end - s.char_start) <> s.text""").fetchone()[0]
    assert bad == 0
    for view in ("quotes_with_speaker", "sources_per_article", "claims_per_source", "timeline", "entities"):
        con.execute(f"select * from {view}").fetchall()
    first = lake.current_snapshot(con)
    con.close()
    manifest = json.loads((wh.parent / "exports" / "manifest.json").read_text())
    assert {e["table"] for e in manifest["tables"]} >= {"articles", "claims", "ingest_errors"}
    assert manifest["snapshot_id"] == first

    # unchanged input: no partition asked for, no new snapshot, byte-identical exports
    before = exports_bytes(wh)
    result = run(seeds_dir, wh)
    assert lake_md(result, "mode") == "unchanged" and lake_md(result, "snapshot_id") == first
    assert not result.asset_materializations_for_node("extract")
    assert exports_bytes(wh) == before

    # a changed file replaces its rows; a removed one disappears; one snapshot for both
    (seeds_dir / "harbour.txt").write_text(SAMPLE_ARTICLE.replace("Tuesday", "Wednesday"))
    (seeds_dir / SEED.name).unlink()
    result = run(seeds_dir, wh)
    assert lake_md(result, "mode") == "committed" and lake_md(result, "snapshot_id") == first + 1
    con = connect(seeds_dir, wh)
    rows = con.execute("select source_path, text like '%Wednesday%' from articles").fetchall()
    assert rows == [("harbour.txt", True)]
    for table in ("sentences", "claims", "mentions", "sources", "entity_rows"):
        orphans = con.execute(f"select count(*) from {table} where article_id not in (select article_id from articles)")
        assert orphans.fetchone()[0] == 0, table
    # the lake updated partition by partition holds exactly what a fresh build of the same seeds holds
    fresh = tmp_path / "fresh" / "claims.sqlite"
    run(seeds_dir, fresh)
    con.execute(lake.attach_sql(paths(seeds_dir, fresh), alias="fresh"))
    for table in lake.stored_tables() + ["entities"]:
        when = {"articles": "ingested_at", "ingest_errors": "seen_at"}  # differ between the two builds, nothing else
        cols = f"* EXCLUDE ({when[table]})" if table in when else "*"
        diff = con.execute(f"SELECT count(*) FROM ((SELECT {cols} FROM lake.{table} EXCEPT ALL SELECT {cols} FROM fresh.{table}) "
                           f"UNION ALL (SELECT {cols} FROM fresh.{table} EXCEPT ALL SELECT {cols} FROM lake.{table}))").fetchone()[0]
        assert diff == 0, table
    # and the first build is still there to query
    con.close()
    old = connect(seeds_dir, wh, snapshot=first)
    assert old.execute("select count(*) from articles").fetchone()[0] == 2
    old.close()
