"""The whole thing at once, by configuration only: `python -m pipelines build` with a PostgreSQL
catalog, data on an S3 endpoint and (for one build) a Dask scheduler with two worker processes, all
on 127.0.0.1. A lake started by a local build is continued on the cluster (one worker killed
mid-run) and then locally again; its tables equal row for row those of the local default build,
the read commands and the exports work on it unchanged, and the exports are copied to S3."""

from __future__ import annotations

import hashlib
import json
import shutil
import time

import duckdb
import pytest

from pipelines.schemas import SCHEMAS
from pipelines.settings import paths
from pipelines.store import extensions, lake
from pipelines.store.lake import attach_sql
from tests.cluster import run
from tests.cluster.conftest import BUCKET
from tests.cluster.corpus import article, write_corpus
from tests.conftest import SEED

pytestmark = pytest.mark.cluster

ARTICLES = 300
TIMESTAMPS = {"articles": "ingested_at", "ingest_errors": "seen_at"}  # when the build ran: differs by design
KILL_WAIT_S = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("cluster") / "seeds"
    write_corpus(seeds, ARTICLES, seed_copies=10, seed=SEED)
    return seeds


@pytest.fixture(scope="module")
def local_warehouse(corpus, tmp_path_factory):
    """The local default build: process pool, SQLite catalog, data files in a local folder."""
    warehouse = tmp_path_factory.mktemp("local") / "claims.sqlite"
    done = run.build(run.lake_env(corpus, warehouse))
    assert done.returncode == 0, done.stderr[-2000:]
    return warehouse


def _differences(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int, int]:
    """(rows only in the local build, rows only in the cluster's lake, rows in the cluster's lake)."""
    drop = f" EXCLUDE ({TIMESTAMPS[table]})" if table in TIMESTAMPS else ""
    local, shared = f'SELECT *{drop} FROM local."{table}"', f'SELECT *{drop} FROM lake."{table}"'
    only_local = con.execute(f"SELECT count(*) FROM ({local} EXCEPT ALL {shared})").fetchone()[0]
    only_shared = con.execute(f"SELECT count(*) FROM ({shared} EXCEPT ALL {local})").fetchone()[0]
    return only_local, only_shared, con.execute(f'SELECT count(*) FROM lake."{table}"').fetchone()[0]


def _kill_a_busy_worker(cluster, build) -> None:
    """Kill worker 0 while the build runs and the worker holds a task (its work must be redone)."""
    from distributed import Client

    deadline = time.monotonic() + KILL_WAIT_S
    with Client(cluster.address, set_as_default=False) as client:
        names = {addr: w["name"] for addr, w in client.scheduler_info()["workers"].items()}
        while time.monotonic() < deadline and build.poll() is None:
            if any(names.get(addr) == "worker-0" and keys for addr, keys in client.processing().items()):
                cluster.workers[0].kill()
                return
            time.sleep(0.02)
    pytest.fail("worker 0 never held a task while the build ran")


def test_a_lake_moves_between_local_build_and_cluster_by_configuration_only(
        corpus, local_warehouse, postgres, s3, dask_cluster, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus, seeds)
    held_back = tmp_path / "held"
    held_back.mkdir()
    for path in sorted(seeds.glob("a*.txt"))[::2]:  # half of the articles arrive after the first build
        path.rename(held_back / path.name)
    env = {**run.lake_env(seeds, tmp_path / "wh" / "claims.sqlite", f"postgres:{postgres.dsn}", f"s3://{BUCKET}/lake/"),
           "CLAIMS_EXPORTS_URL": f"s3://{BUCKET}/exports/"}

    first = run.build(env)  # started locally: local processes, the shared catalog and S3
    assert first.returncode == 0, first.stderr[-2000:]
    for path in held_back.iterdir():
        path.rename(seeds / path.name)
    (seeds / "extra.txt").write_text(article(ARTICLES + 7), encoding="utf-8")
    on_cluster = run.start_build({**env, "CLAIMS_SCHEDULER": dask_cluster.address})
    _kill_a_busy_worker(dask_cluster, on_cluster)
    out, err = on_cluster.communicate(timeout=600)
    assert on_cluster.returncode == 0, err[-2000:]
    assert dask_cluster.workers[0].wait() != 0 and dask_cluster.workers[1].poll() is None
    (seeds / "extra.txt").unlink()
    last = run.build(env)  # and continued locally again
    assert last.returncode == 0, last.stderr[-2000:]

    con = lake.connect(run.lake_paths(env), read_only=True)
    extensions.load(con, "sqlite_scanner")
    con.execute(attach_sql(paths(None, local_warehouse), alias="local"))
    for table in SCHEMAS:
        only_local, only_shared, rows = _differences(con, table)
        assert (only_local, only_shared) == (0, 0), f"{table}: {only_local} rows only local, {only_shared} only shared"
        assert rows > 0, table
    snapshot = lake.current_snapshot(con)
    builds = [s for s in lake.snapshots(con) if s["message"] == "build"]
    con.close()
    assert len(builds) == 3  # one commit per build, whoever analysed
    # the data files are on the S3 endpoint, the catalog in PostgreSQL
    assert any(k.endswith(".parquet") for k in s3.keys(BUCKET, "lake/main/"))
    assert int(postgres.psql("SELECT count(*) FROM ducklake_snapshot")) >= 3
    # the read commands and the exports, unchanged
    exported = tmp_path / "wh" / "exports"
    manifest = json.loads((exported / "manifest.json").read_text())
    assert manifest["snapshot_id"] == snapshot
    # and their copy on S3: the same manifest, and every file it names with the sha256 it gives
    copy = s3.client()
    assert copy.get_object(Bucket=BUCKET, Key="exports/manifest.json")["Body"].read() == (exported / "manifest.json").read_bytes()
    for part in (part for entry in manifest["tables"] for part in entry["parts"]):
        body = copy.get_object(Bucket=BUCKET, Key=f"exports/{part['file']}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == part["sha256"], part["file"]
    assert {"datapackage.json", "claims-dataset.zip", "claims/part-00.parquet"} <= {k.removeprefix("exports/") for k in s3.keys(BUCKET, "exports/")}
    assert {e["table"]: e["rows"] for e in manifest["tables"]}["articles"] == ARTICLES + 10
    query = run.cli(env, "query", "SELECT count(*) AS n FROM articles", "--format", "csv")
    assert query.returncode == 0 and query.stdout.split() == ["n", str(ARTICLES + 10)], query.stderr
    versions = run.cli(env, "versions")
    assert versions.returncode == 0 and str(snapshot) in versions.stdout, versions.stderr


def test_a_build_killed_inside_its_commit_leaves_the_shared_lake_as_it_was(postgres, s3, tmp_path):
    seeds = tmp_path / "seeds"
    write_corpus(seeds, 30)
    env = run.lake_env(seeds, tmp_path / "wh" / "claims.sqlite", f"postgres:{postgres.new_database('killed')}",
                       f"s3://{BUCKET}/killed/")
    died = run.build(env, CLAIMS_CRASH_AT="lake_commit")
    assert died.returncode == -9, died.stderr[-2000:]  # killed at the commit, not failed before it
    con = lake.connect(run.lake_paths(env), read_only=True)
    assert [s["message"] for s in lake.snapshots(con) if s["message"] == "build"] == []
    for table in lake.stored_tables():  # nothing of the build reached any table
        assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0, table
    con.close()
    done = run.build(env)
    assert done.returncode == 0, done.stderr[-2000:]
    con = lake.connect(run.lake_paths(env), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 30
    con.close()
