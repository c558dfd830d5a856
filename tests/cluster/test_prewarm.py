"""The warm worker: a small batch is analysed in the process that loaded the core while the build
started, with the same staged rows; a worker that died is replaced by this process."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from pipelines import batch, guard
from pipelines.cluster import engine, prewarm
from pipelines.ingest.documents import Document
from pipelines.text.normalise import article_id, normalise
from tests.conftest import SAMPLE_ARTICLE

NOW = dt.datetime(2024, 5, 14)
REPO = Path(__file__).resolve().parents[2]
OTHER = "Pool reopens\n\n“The water is warm again,” said Lena Ortiz, who runs the town’s pool, on Friday.\n"


@pytest.fixture
def docs():
    texts = [("harbour.txt", normalise(SAMPLE_ARTICLE)), ("pool.txt", normalise(OTHER))]
    return [Document(article_id(t), name, t) for name, t in texts]


def _staged(folder) -> dict[str, pl.DataFrame]:
    return {f.parent.name: pl.read_parquet(f) for f in sorted(folder.rglob("*.parquet"))}


@pytest.fixture(autouse=True)
def no_worker_left():
    yield
    prewarm.stop()


def test_a_small_batch_is_analysed_by_the_warm_worker_with_the_same_rows(tmp_path, docs, monkeypatch):
    here = batch.stage_buckets([("00", docs)], len(docs), NOW, tmp_path / "here")
    prewarm.start()

    def not_here(*args, **kwargs):
        raise AssertionError("analysed in this process, not in the warm worker")

    monkeypatch.setattr(guard, "analyse_within_budget", not_here)  # the spawned worker has its own, unpatched
    there = batch.stage_buckets([("00", docs)], len(docs), NOW, tmp_path / "there")
    assert prewarm.take() is None  # taken by the batch, and shut down by it
    assert here.keys() == there.keys()
    a, b = _staged(tmp_path / "here"), _staged(tmp_path / "there")
    assert a.keys() == b.keys() and "claims" in a
    for table in a:
        assert a[table].equals(b[table]), table


def test_a_warm_worker_that_died_is_replaced_by_this_process(tmp_path, docs):
    prewarm.start()
    pool = prewarm._pool
    assert pool is not None
    pool.submit(os.getpid).result()  # the worker is up
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)
    staged = batch.stage_buckets([("00", docs)], len(docs), NOW, tmp_path / "staged")
    assert "claims" in staged["00"] and _staged(tmp_path / "staged")["articles"].height == 2


def test_no_worker_when_a_cluster_analyses(monkeypatch):
    monkeypatch.setenv("CLAIMS_SCHEDULER", "tcp://127.0.0.1:1")
    prewarm.start()
    assert prewarm.take() is None


KILLED_BUILD = """
import os, signal, sys
from pipelines.cluster import prewarm
prewarm.start()
print(prewarm._pool.submit(os.getpid).result(), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_worker_of_a_killed_build_ends_too(tmp_path):
    """A build killed by SIGKILL cannot shut its worker down: the worker sees it gone and exits (an
    orphan would hold the build's output pipes open, and whoever waits on them would wait forever)."""
    out = tmp_path / "out.txt"
    with open(out, "w") as fh:
        build = subprocess.run([sys.executable, "-c", KILLED_BUILD], stdout=fh, timeout=60, cwd=REPO)
    assert build.returncode == -signal.SIGKILL
    worker = int(out.read_text().split()[0])
    deadline = time.monotonic() + 10 * engine.PARENT_POLL_S + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except FileNotFoundError:
        return False
    return state != "Z"


MAIN_SCRIPT = """
import sys
from pathlib import Path
with open(sys.argv[1], "a") as fh:
    fh.write("ran\\n")  # no main guard: a spawned child that imports this script writes again
from pipelines.cluster import prewarm
import os
prewarm.start()
pool = prewarm.take()
pool.submit(os.getpid).result()  # after the warm-up: the worker is up and loaded
pool.shutdown()
assert sys.modules["__main__"].__file__
"""


def test_the_worker_does_not_import_the_builds_main_script(tmp_path):
    """A spawned child imports the parent's main script first; the warm worker must not (a run
    launched by the Dagster daemon has all of Dagster's command line as its main)."""
    script, marks = tmp_path / "main_script.py", tmp_path / "marks.txt"
    script.write_text(MAIN_SCRIPT)
    run = subprocess.run([sys.executable, str(script), str(marks)], cwd=REPO, timeout=60, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert marks.read_text() == "ran\n"
