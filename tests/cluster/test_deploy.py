"""The files in deploy/cluster/ that a user copies, exercised against the local services."""

from __future__ import annotations

import re

import pytest
import yaml

from pipelines.cluster import lakehouse
from pipelines.cluster.lakehouse import ALIAS, LakeConfig
from tests.cluster.conftest import BUCKET
from tests.cluster.corpus import write_corpus
from tests.conftest import REPO

pytestmark = pytest.mark.cluster
DEPLOY = REPO / "deploy" / "cluster"


def test_cluster_job_runs_with_the_deploy_run_config(postgres, s3, dask_cluster, tmp_path, monkeypatch):
    import dagster as dg

    from pipelines.cluster.definitions import build_defs

    seeds = tmp_path / "seeds"
    write_corpus(seeds, 40)
    config = LakeConfig(f"postgres:{postgres.new_database('deployed')}", f"s3://{BUCKET}/deployed/")
    monkeypatch.setenv("CLAIMS_SEEDS", str(seeds))
    monkeypatch.setenv("CLAIMS_CATALOG", config.catalog)
    monkeypatch.setenv("CLAIMS_DATA_PATH", config.data_path)
    monkeypatch.setenv("CLAIMS_SCHEDULER", dask_cluster.address)
    run_config = yaml.safe_load((DEPLOY / "run-config.yaml").read_text())
    job = build_defs().resolve_job_def("cluster_build")
    result = job.execute_in_process(run_config=run_config, instance=dg.DagsterInstance.ephemeral())
    assert result.success
    meta = result.asset_materializations_for_node("claims_lake")[0].metadata
    assert meta["articles"].value == 40
    con = lakehouse.connect(config, read_only=True)
    assert con.execute(f"SELECT count(*) FROM {ALIAS}.articles").fetchone()[0] == 40
    assert con.execute(f"SELECT count(*) FROM {ALIAS}.ingest_errors").fetchone()[0] == 2
    con.close()


def test_every_variable_in_env_example_is_one_the_code_or_deploy_files_read():
    names = re.findall(r"^([A-Z_][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.M)
    sources = "\n".join(p.read_text() for p in [*(REPO / "pipelines").rglob("*.py"), *DEPLOY.glob("*.yaml")])
    unread = [n for n in names if n not in sources and not n.startswith(("AWS_", "PG"))]
    assert names and not unread
    # the AWS and libpq names are the ones their libraries read: the lake builds its secret from these
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"} <= set(names)
    code = (REPO / "pipelines" / "cluster" / "lakehouse.py").read_text()
    assert all(re.search(f"[\"']{n}[\"']", code) for n in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"))


def test_cluster_command_says_what_to_set(monkeypatch, capsys):
    from pipelines.cluster.__main__ import main

    monkeypatch.delenv("CLAIMS_CATALOG", raising=False)
    assert main(["build"]) == 2
    assert "CLAIMS_CATALOG" in capsys.readouterr().err
