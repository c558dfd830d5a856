"""End to end: materialise the Dagster definitions into a temporary warehouse and query it."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import duckdb

from pipelines.definitions import build_defs
from tests.conftest import SAMPLE_ARTICLE, SEED


def run(seeds, warehouse) -> dg.ExecuteInProcessResult:
    defs = build_defs(seeds=str(seeds), warehouse=str(warehouse))
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    return result


def exports_bytes(warehouse) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((warehouse.parent / "exports").glob("*.parquet"))}


def test_materialise_query_rerun_change_remove(tmp_path, seeds_dir):
    shutil.copy(SEED, seeds_dir / SEED.name)
    (seeds_dir / "broken.txt").write_bytes(b"")
    wh = tmp_path / "out" / "claims.duckdb"
    run(seeds_dir, wh)

    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from articles").fetchone()[0] == 2
    assert con.execute("select error from ingest_errors").fetchall() == [("empty",)]
    kinds = dict(con.execute("""select kind, count(*) from paragraphs p join articles a using (article_id)
                                where a.source_path = ? group by 1""", [SEED.name]).fetchall())
    assert kinds == {"headline": 1, "pull_quote": 2, "body": 17}
    assert con.execute("select count(*) from paragraphs where kind = 'pull_quote' and duplicate_of is null").fetchone()[0] == 0
    bad = con.execute("""select count(*) from sentences s join articles a using (article_id)
                         where substr(a.text, s.char_start + 1, s.char_end - s.char_start) <> s.text""").fetchone()[0]
    assert bad == 0
    for view in ("quotes_with_speaker", "sources_per_article", "claims_per_source", "timeline"):
        con.execute(f"select * from {view}").fetchall()
    con.close()
    manifest = json.loads((wh.parent / "exports" / "manifest.json").read_text())
    assert {e["table"] for e in manifest["tables"]} >= {"articles", "claims", "ingest_errors"}

    # unchanged input: nothing analysed again, byte-identical exports
    before = exports_bytes(wh)
    result = run(seeds_dir, wh)
    modes = [m.metadata["mode"].value for m in result.asset_materializations_for_node("claims_warehouse")]
    assert modes == ["unchanged"]
    mat = result.asset_materializations_for_node("extract")
    articles_md = next(m.metadata for m in mat if m.asset_key.path == ["articles"])
    assert articles_md["analysed"].value == 0 and articles_md["reused"].value == 2
    assert exports_bytes(wh) == before

    # a changed file replaces its rows; a removed one disappears
    (seeds_dir / "harbour.txt").write_text(SAMPLE_ARTICLE.replace("Tuesday", "Wednesday"))
    (seeds_dir / SEED.name).unlink()
    result = run(seeds_dir, wh)
    assert [m.metadata["mode"].value for m in result.asset_materializations_for_node("claims_warehouse")] == ["updated"]
    con = duckdb.connect(str(wh), read_only=True)
    rows = con.execute("select source_path, text like '%Wednesday%' from articles").fetchall()
    assert rows == [("harbour.txt", True)]
    orphans = con.execute("select count(*) from sentences where article_id not in (select article_id from articles)").fetchone()[0]
    assert orphans == 0
    # the warehouse updated in place holds exactly what a full rebuild from the exports holds
    from pipelines.schemas import SCHEMAS
    from pipelines.store import warehouse

    fresh = warehouse.build({t: wh.parent / "exports" / f"{t}.parquet" for t in SCHEMAS}, tmp_path / "fresh.duckdb")
    con.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)")
    for table in SCHEMAS:
        diff = con.execute(f"SELECT count(*) FROM ((FROM {table} EXCEPT ALL FROM fresh.{table}) "
                           f"UNION ALL (FROM fresh.{table} EXCEPT ALL FROM {table}))").fetchone()[0]
        assert diff == 0, table
    con.close()
