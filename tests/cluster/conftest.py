"""Fixtures that start the cluster's services on 127.0.0.1 and stop each by its own handle."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pipelines.cluster.services import DaskCluster, Postgres, S3Server

BUCKET = "claims-lake"
ENV_KEYS = ("PGPASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL")


@pytest.fixture(scope="module")
def service_env():
    """The credentials the services put into the environment, removed again afterwards."""
    saved = {k: os.environ.get(k) for k in ENV_KEYS}
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def postgres(service_env):
    # not tmp_path: the server runs as the postgres user, who cannot enter pytest's private folders
    root = Path(tempfile.mkdtemp(prefix="claims-pg-"))
    server = Postgres(root).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def s3(service_env):
    server = S3Server().start(BUCKET)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dask_cluster(tmp_path):
    cluster = DaskCluster(tmp_path / "dask")
    try:
        yield cluster.start(2)
    finally:
        cluster.stop()
