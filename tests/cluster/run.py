"""Running `python -m pipelines build` (and the read commands) as a user would: configuration only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.settings import Paths

BUILD = [sys.executable, "-m", "pipelines", "build", "--ephemeral", "--no-progress", "--log-level", "ERROR"]


def lake_env(seeds: Path, warehouse: Path, catalog: str = "", data_path: str = "", scheduler: str = "") -> dict:
    """The environment of a build: seeds, the local folder for exports and staging, the lake, the engine."""
    return {**os.environ, "CLAIMS_SEEDS": str(seeds), "CLAIMS_WAREHOUSE": str(warehouse), "CLAIMS_CATALOG": catalog,
            "CLAIMS_DATA_PATH": data_path, "CLAIMS_SCHEDULER": scheduler, "CLAIMS_CRASH_AT": ""}


def lake_paths(env: dict) -> Paths:
    return Paths(Path(env["CLAIMS_SEEDS"]), Path(env["CLAIMS_WAREHOUSE"]), env["CLAIMS_CATALOG"] or None,
                 env["CLAIMS_DATA_PATH"] or None)


def build(env: dict, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(BUILD, env={**env, **extra}, capture_output=True, text=True)


def start_build(env: dict) -> subprocess.Popen:
    return subprocess.Popen(BUILD, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", *args], env=env, capture_output=True, text=True)


def dask_client(address: str):
    from pipelines.cluster import engine

    return engine.dask_client(address)
