"""Each service on its own: a DuckLake catalog on PostgreSQL, data on S3, a Dask cluster that
survives a dead worker, and the engine switch between local processes and Dask."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from pipelines.cluster import engine
from pipelines.settings import Paths
from pipelines.store import lake, remote
from tests.cluster.conftest import BUCKET

pytestmark = pytest.mark.cluster


def slow_square(x: int) -> tuple[int, int]:
    """A task long enough to be caught on a worker that is killed; returns the worker's pid."""
    time.sleep(0.3)
    return x * x, os.getpid()


def lake_at(tmp_path: Path, catalog: str | None, data_path: str | None) -> Paths:
    return Paths(tmp_path / "seeds", tmp_path / "claims.sqlite", catalog, data_path)


def test_ducklake_catalog_on_postgres_is_shared_by_connections(postgres, tmp_path):
    p = lake_at(tmp_path, f"postgres:{postgres.new_database('shared')}", str(tmp_path / "data") + "/")
    assert not lake.exists(p)  # nothing in the database yet: a first build creates the lake
    writer = lake.connect(p, read_only=False)  # creates the catalog and the contract's tables
    writer.execute("CREATE TABLE t (k INTEGER, v VARCHAR)")
    writer.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
    assert lake.exists(p)
    reader = lake.connect(p, read_only=True)
    assert reader.execute("SELECT sum(k) FROM t").fetchone()[0] == 3
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    # the snapshots live in PostgreSQL, not in a local file
    assert int(postgres.psql("SELECT count(*) FROM ducklake_snapshot", db="shared")) >= 3
    assert not (tmp_path / "claims.sqlite").exists()
    writer.close()
    reader.close()


def test_catalog_password_comes_from_the_environment(postgres, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(Exception, match="(?i)password"):
        lake.connect(lake_at(tmp_path, f"postgres:{postgres.dsn}", str(tmp_path) + "/"), read_only=False)


def test_lake_data_on_s3(s3, tmp_path):
    con = lake.connect(lake_at(tmp_path, None, f"s3://{BUCKET}/isolated/"), read_only=False)
    con.execute("CREATE TABLE t AS SELECT range AS k FROM range(1000)")
    assert con.execute("SELECT count(*), sum(k) FROM t").fetchone() == (1000, 499500)
    keys = s3.keys(BUCKET, "isolated/")
    assert keys and all(k.endswith(".parquet") for k in keys)
    con.close()


def test_s3_without_credentials_says_what_to_set():
    with pytest.raises(RuntimeError, match="AWS_ACCESS_KEY_ID"):
        remote.s3_secret_sql({})
    sql = remote.s3_secret_sql({"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
                                "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert "ENDPOINT '127.0.0.1:9000'" in sql and "USE_SSL false" in sql and "URL_STYLE 'path'" in sql


def test_dask_cluster_reruns_the_tasks_of_a_killed_worker(dask_cluster):
    with engine.start(scheduler=dask_cluster.address) as eng:
        assert eng.remote and eng.slots == 2
        results = eng.pool.map(slow_square, range(12))
        first = next(results)
        dask_cluster.workers[0].kill()  # mid-run: eleven tasks are not back yet
        rest = list(results)
    dask_cluster.workers[0].wait()
    assert [first[0]] + [r[0] for r in rest] == [x * x for x in range(12)]
    assert dask_cluster.workers[1].poll() is None


def test_engine_is_a_local_process_pool_unless_a_scheduler_is_set(monkeypatch):
    monkeypatch.delenv(engine.SCHEDULER_ENV, raising=False)
    assert engine.scheduler_address() is None
    with engine.start(workers=1) as eng:
        value, pid = eng.pool.submit(slow_square, 3).result()
    assert value == 9 and pid != os.getpid() and not eng.remote
    monkeypatch.setenv(engine.SCHEDULER_ENV, "tcp://127.0.0.1:1")
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(RuntimeError, match="cannot reach the Dask scheduler"), engine.start():
        pass


def test_exports_copy_on_s3_sends_only_what_changed_and_the_manifest_last(s3, tmp_path):
    from pipelines.store import mirror

    def publish(tables: dict[str, bytes]) -> dict:
        parts = {}
        for name, data in tables.items():
            (tmp_path / name).mkdir(exist_ok=True)
            (tmp_path / name / "part-00.parquet").write_bytes(data)
            parts[name] = [{"part": 0, "file": f"{name}/part-00.parquet", "sha256": hashlib.sha256(data).hexdigest()}]
        manifest = {"snapshot_id": len(tables), "tables": [{"table": n, "parts": ps} for n, ps in parts.items()]}
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        return manifest

    url = f"s3://{BUCKET}/copy/"
    assert mirror.push(tmp_path, publish({"a": b"1", "b": b"2"}), url) == ["a/part-00.parquet", "b/part-00.parquet",
                                                                          "manifest.json"]
    assert mirror.push(tmp_path, json.loads((tmp_path / "manifest.json").read_text()), url) == []
    assert mirror.push(tmp_path, publish({"a": b"1", "b": b"3"}), url) == ["b/part-00.parquet", "manifest.json"]
    got = s3.client().get_object(Bucket=BUCKET, Key="copy/b/part-00.parquet")["Body"].read()
    assert got == b"3"
    with pytest.raises(RuntimeError, match="CLAIMS_EXPORTS_URL"):
        mirror.push(tmp_path, {}, "/not/a/bucket")


def test_a_scheduler_without_workers_is_reported_not_waited_on(tmp_path, monkeypatch):
    """A build sent to a scheduler no worker has joined fails with a message saying so, instead of
    waiting forever for tasks nobody runs."""
    from pipelines.cluster.services import DaskCluster

    cluster = DaskCluster(tmp_path / "dask")
    try:
        cluster.start(0)
        monkeypatch.setattr(engine, "WORKERS_TIMEOUT_S", 2)
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="no Dask worker joined"), engine.start(scheduler=cluster.address):
            pass
        assert time.monotonic() - started < engine.CONNECT_TIMEOUT_S  # gave up after its own timeout
    finally:
        cluster.stop()
