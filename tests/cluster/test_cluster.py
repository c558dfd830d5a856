"""The whole thing at once: a Dask scheduler and two worker processes, a PostgreSQL catalog and an
S3 endpoint, all on 127.0.0.1; every partition of a few hundred articles goes through them, one
worker is killed mid-run, and the tables equal row for row those of the local default build."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from pipelines.cluster import build, lakehouse
from pipelines.cluster.lakehouse import ALIAS, LakeConfig
from pipelines.cluster.partition import key_range, partition_key
from pipelines.schemas import SCHEMAS
from pipelines.settings import paths
from pipelines.store import extensions
from pipelines.store.lake import attach_sql
from tests.cluster.conftest import BUCKET
from tests.cluster.corpus import write_corpus
from tests.conftest import SEED

pytestmark = pytest.mark.cluster

PARTITIONS = 8
ARTICLES = 300
TIMESTAMPS = {"articles": "ingested_at", "ingest_errors": "seen_at"}  # when the build ran: differs by design


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("cluster") / "seeds"
    write_corpus(seeds, ARTICLES, seed_copies=10, seed=SEED)
    return seeds


@pytest.fixture(scope="module")
def local_warehouse(corpus, tmp_path_factory):
    """The local default build (`python -m pipelines build`: process pool, DuckLake with a SQLite catalog)."""
    warehouse = tmp_path_factory.mktemp("local") / "claims.sqlite"
    env = {"CLAIMS_SEEDS": str(corpus), "CLAIMS_WAREHOUSE": str(warehouse), "CLAIMS_SCHEDULER": ""}
    done = subprocess.run([sys.executable, "-m", "pipelines", "build", "--ephemeral", "--log-level", "ERROR"],
                          env={**_environ(), **env}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return warehouse


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def _differences(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int, int]:
    """(rows only in the local build, rows only in the lake, rows in the lake)."""
    drop = f" EXCLUDE ({TIMESTAMPS[table]})" if table in TIMESTAMPS else ""
    local, lake = f'SELECT *{drop} FROM local."{table}"', f'SELECT *{drop} FROM {ALIAS}."{table}"'
    only_local = con.execute(f"SELECT count(*) FROM ({local} EXCEPT ALL {lake})").fetchone()[0]
    only_lake = con.execute(f"SELECT count(*) FROM ({lake} EXCEPT ALL {local})").fetchone()[0]
    return only_local, only_lake, con.execute(f'SELECT count(*) FROM {ALIAS}."{table}"').fetchone()[0]


def test_cluster_build_equals_local_build_and_survives_a_killed_worker(
        corpus, local_warehouse, postgres, s3, dask_cluster):
    config = LakeConfig(f"postgres:{postgres.dsn}", f"s3://{BUCKET}/lake/")
    killed = []

    def kill_one_worker(result: dict) -> None:
        if not killed:  # after the first partition is back, while the others still run
            dask_cluster.workers[0].kill()
            killed.append(result["partition"])

    results = build.build(corpus, config, partitions=PARTITIONS, scheduler=dask_cluster.address,
                          progress=kill_one_worker)
    run = results.pop("_run")
    assert killed and run["partitions"] == PARTITIONS == len(results)
    assert dask_cluster.workers[0].wait() != 0 and dask_cluster.workers[1].poll() is None
    assert run["articles"] == ARTICLES + 10

    con = lakehouse.connect(config, read_only=True)
    extensions.load(con, "sqlite_scanner")
    con.execute(attach_sql(paths(None, local_warehouse), alias="local"))
    for table in SCHEMAS:
        only_local, only_lake, rows = _differences(con, table)
        assert (only_local, only_lake) == (0, 0), f"{table}: {only_local} rows only local, {only_lake} only in the lake"
        assert rows > 0, table
    # the data files are on the S3 endpoint, the catalog in PostgreSQL
    assert any(k.endswith(".parquet") for k in s3.keys(BUCKET, "lake/"))
    assert int(postgres.psql("SELECT count(*) FROM ducklake_snapshot")) > PARTITIONS
    con.close()


def test_a_partition_killed_before_its_commit_leaves_nothing_and_a_rerun_completes_it(
        corpus, postgres, s3, tmp_path):
    config = LakeConfig(f"postgres:{postgres.new_database('killed')}", f"s3://{BUCKET}/killed/")
    key = partition_key(0, PARTITIONS)
    con = lakehouse.connect(config)
    lakehouse.ensure_tables(con)
    con.close()
    script = ("import sys; from pathlib import Path; from pipelines.cluster import build; "
              "from pipelines.cluster.lakehouse import LakeConfig; "
              f"build.build(Path({str(corpus)!r}), LakeConfig({config.catalog!r}, {config.data_path!r}), "
              f"partitions={PARTITIONS}, only={{{key!r}}}, workers=1)")
    died = subprocess.run([sys.executable, "-c", script], env={**_environ(), "CLAIMS_CRASH_AT": "lake_commit",
                                                               "CLAIMS_SCHEDULER": ""}, capture_output=True)
    assert died.returncode != 0 and b"terminated abruptly" in died.stderr  # killed at the commit, not failed before
    low, high = key_range(key)
    count = f"SELECT count(*) FROM {ALIAS}.articles WHERE article_id >= '{low}' AND article_id < '{high}'"
    con = lakehouse.connect(config)
    assert con.execute(count).fetchone()[0] == 0
    for table in lakehouse.lake_tables():  # nothing of the partition reached any table
        if table != "ingest_errors":
            assert con.execute(f'SELECT count(*) FROM {ALIAS}."{table}"').fetchone()[0] == 0, table
    con.close()
    done = subprocess.run([sys.executable, "-c", script], env={**_environ(), "CLAIMS_SCHEDULER": ""},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    con = lakehouse.connect(config, read_only=True)
    assert con.execute(count).fetchone()[0] > 0
    con.close()
