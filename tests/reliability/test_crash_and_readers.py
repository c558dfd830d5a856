"""Crash safety, concurrent readers and idempotency of whole builds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.definitions import build_defs
from pipelines.faults import POINTS
from pipelines.schemas import SCHEMAS
from tests.conftest import SAMPLE_ARTICLE, SEED

REPO = Path(__file__).resolve().parents[2]
EXTRA = "Late article\n\n“It is not over,” the coach said on Sunday. Fans left early.\n"


def build_in_process(seeds: Path, warehouse: Path) -> None:
    defs = build_defs(seeds=str(seeds), warehouse=str(warehouse))
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success


def build_subprocess(seeds: Path, warehouse: Path, crash_at: str | None = None) -> int:
    env = {**os.environ, "CLAIMS_CRASH_AT": crash_at or ""}
    env.pop("CLAIMS_SEEDS", None)
    cmd = [sys.executable, "-m", "pipelines", "--warehouse", str(warehouse), "build", "--seeds", str(seeds),
           "--ephemeral", "--log-level", "ERROR"]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=300).returncode


def snapshot(warehouse: Path) -> dict:
    """Row counts of every table, read the way a user would."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SCHEMAS}
    finally:
        con.close()


def exports_consistent(exports: Path) -> bool:
    manifest = json.loads((exports / "manifest.json").read_text())
    for entry in manifest["tables"]:
        data = (exports / entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["bytes"]:
            return False
        if pl.read_parquet(exports / entry["file"]).height != entry["rows"]:
            return False
    return True


@pytest.fixture
def built(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE)
    warehouse = tmp_path / "wh" / "claims.duckdb"
    build_in_process(seeds, warehouse)
    return seeds, warehouse


@pytest.mark.parametrize("point", POINTS)
def test_killed_build_leaves_previous_warehouse_readable_and_next_run_completes(built, point):
    seeds, warehouse = built
    before = snapshot(warehouse)
    (seeds / "late.txt").write_text(EXTRA)
    assert build_subprocess(seeds, warehouse, crash_at=point) == 137  # killed where asked
    assert snapshot(warehouse) == before
    assert exports_consistent(warehouse.parent / "exports")
    assert build_subprocess(seeds, warehouse) == 0
    assert not list(warehouse.parent.glob(".*building*"))  # what the killed run left is cleared
    after = snapshot(warehouse)
    assert after["articles"] == before["articles"] + 1
    assert exports_consistent(warehouse.parent / "exports")


def test_reader_is_never_blocked_and_never_sees_half_a_build(built):
    seeds, warehouse = built
    reader = duckdb.connect(str(warehouse), read_only=True)
    before = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
    (seeds / "late.txt").write_text(EXTRA)
    build_in_process(seeds, warehouse)  # would raise or hang if the reader's lock were in the way
    # the open connection keeps reading the snapshot it opened, whole
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    orphans = reader.execute("SELECT count(*) FROM claims WHERE article_id NOT IN (SELECT article_id FROM articles)")
    assert orphans.fetchone()[0] == 0
    reader.close()
    assert snapshot(warehouse)["articles"] == before + 1


def test_two_builds_of_the_same_input_are_identical(tmp_path, built):
    seeds, first = built
    second = tmp_path / "again" / "claims.duckdb"
    build_in_process(seeds, second)
    timestamps = {"articles": ["ingested_at"], "ingest_errors": ["seen_at"]}
    for table in SCHEMAS:
        a = first.parent / "exports" / f"{table}.parquet"
        b = second.parent / "exports" / f"{table}.parquet"
        if table in timestamps:  # when it was ingested differs between two fresh builds, nothing else
            assert pl.read_parquet(a).drop(timestamps[table]).equals(pl.read_parquet(b).drop(timestamps[table]))
        else:
            assert a.read_bytes() == b.read_bytes(), table
    # and a rerun on the same warehouse changes no byte at all
    before = {p.name: p.read_bytes() for p in (first.parent / "exports").glob("*.parquet")}
    build_in_process(seeds, first)
    assert {p.name: p.read_bytes() for p in (first.parent / "exports").glob("*.parquet")} == before
