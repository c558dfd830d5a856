"""The files in deploy/cluster/ that a user copies, exercised against the local services."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cluster import engine
from pipelines.cluster.services import _stop, free_port, wait_for_port
from tests.conftest import REPO

pytestmark = pytest.mark.cluster
DEPLOY = REPO / "deploy" / "cluster"


def where_am_i(x: int) -> tuple[int, int]:
    return x + 1, os.getpid()


def test_workers_script_starts_a_scheduler_and_workers_that_run_tasks(tmp_path):
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(REPO), "CLAIMS_DASK_HOST": "127.0.0.1", "CLAIMS_DASK_PORT": str(port),
           "CLAIMS_SCHEDULER": f"tcp://127.0.0.1:{port}"}
    started: list[subprocess.Popen] = []
    try:
        for role in ("scheduler", "worker"):
            started.append(subprocess.Popen(["sh", str(DEPLOY / "workers.sh"), role], env=env, cwd=tmp_path,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            if role == "scheduler":
                wait_for_port(port, started[0])
        with engine.dask_client(env["CLAIMS_SCHEDULER"]) as client:
            client.wait_for_workers(os.cpu_count(), timeout=60)  # `dask worker --nworkers $(nproc)`
        with engine.start(scheduler=env["CLAIMS_SCHEDULER"]) as eng:
            results = list(eng.pool.map(where_am_i, range(8)))
        assert eng.remote and eng.slots == os.cpu_count()  # a worker per core, one thread each
        assert [r[0] for r in results] == list(range(1, 9)) and os.getpid() not in {r[1] for r in results}
    finally:
        for proc in reversed(started):
            _stop(proc)
    assert all(proc.poll() is not None for proc in started)


def test_every_variable_in_env_example_is_one_the_code_or_deploy_files_read():
    names = re.findall(r"^([A-Z_][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.M)
    sources = "\n".join(p.read_text() for p in [*(REPO / "pipelines").rglob("*.py"), *DEPLOY.glob("*.yaml"),
                                                 DEPLOY / "workers.sh"])
    unread = [n for n in names if n not in sources and not n.startswith(("AWS_", "PG"))]
    assert names and not unread
    # the AWS and libpq names are the ones their libraries read: the lake builds its secret from these
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"} <= set(names)
    code = (REPO / "pipelines" / "store" / "remote.py").read_text()
    assert all(re.search(f"[\"']{n}[\"']", code) for n in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL"))
