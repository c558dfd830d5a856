"""Each service on its own: a DuckLake catalog on PostgreSQL, data on S3, a Dask cluster that
survives a dead worker, and the engine switch between local processes and Dask."""

from __future__ import annotations

import os
import time

import pytest

from pipelines.cluster import engine, lakehouse
from pipelines.cluster.lakehouse import LakeConfig
from tests.cluster.conftest import BUCKET

pytestmark = pytest.mark.cluster


def slow_square(x: int) -> tuple[int, int]:
    """A task long enough to be caught on a worker that is killed; returns the worker's pid."""
    time.sleep(0.3)
    return x * x, os.getpid()


def test_ducklake_catalog_on_postgres_is_shared_by_connections(postgres, tmp_path):
    config = LakeConfig(f"postgres:{postgres.dsn}", str(tmp_path / "data") + "/")
    writer = lakehouse.connect(config)
    writer.execute("CREATE TABLE lake.t (k INTEGER, v VARCHAR)")
    writer.execute("INSERT INTO lake.t VALUES (1, 'a'), (2, 'b')")
    reader = lakehouse.connect(config, read_only=True)
    assert reader.execute("SELECT sum(k) FROM lake.t").fetchone()[0] == 3
    # the snapshots live in PostgreSQL, not in a local file
    assert int(postgres.psql("SELECT count(*) FROM ducklake_snapshot")) >= 2
    writer.close()
    reader.close()


def test_catalog_password_comes_from_the_environment(postgres, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(Exception, match="(?i)password"):
        lakehouse.connect(LakeConfig(f"postgres:{postgres.dsn}", str(tmp_path) + "/"))


def test_lake_data_on_s3(s3, tmp_path):
    config = LakeConfig(str(tmp_path / "cat.ducklake"), f"s3://{BUCKET}/isolated/")
    con = lakehouse.connect(config)
    con.execute("CREATE TABLE lake.t AS SELECT range AS k FROM range(1000)")
    assert con.execute("SELECT count(*), sum(k) FROM lake.t").fetchone() == (1000, 499500)
    keys = s3.keys(BUCKET, "isolated/")
    assert keys and all(k.endswith(".parquet") for k in keys)
    con.close()


def test_s3_without_credentials_says_what_to_set():
    with pytest.raises(RuntimeError, match="AWS_ACCESS_KEY_ID"):
        lakehouse.s3_secret_sql({})
    sql = lakehouse.s3_secret_sql({"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
                                   "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert "ENDPOINT '127.0.0.1:9000'" in sql and "USE_SSL false" in sql and "URL_STYLE 'path'" in sql


def test_dask_cluster_reruns_the_tasks_of_a_killed_worker(dask_cluster):
    with engine.executor(scheduler=dask_cluster.address) as pool:
        results = pool.map(slow_square, range(12))
        first = next(results)
        dask_cluster.workers[0].kill()  # mid-run: eleven tasks are not back yet
        rest = list(results)
    dask_cluster.workers[0].wait()
    assert [first[0]] + [r[0] for r in rest] == [x * x for x in range(12)]
    assert dask_cluster.workers[1].poll() is None


def test_engine_is_a_local_process_pool_unless_a_scheduler_is_set(monkeypatch):
    monkeypatch.delenv(engine.SCHEDULER_ENV, raising=False)
    assert engine.scheduler_address() is None
    with engine.executor(workers=1) as pool:
        value, pid = pool.submit(slow_square, 3).result()
    assert value == 9 and pid != os.getpid()
    monkeypatch.setenv(engine.SCHEDULER_ENV, "tcp://127.0.0.1:1")
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler"), engine.executor():
        pass
