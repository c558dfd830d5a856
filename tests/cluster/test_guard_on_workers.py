"""The per-article budget guard holds on cluster workers too: Dask runs each task in a thread,
where SIGALRM cannot reach, so the guard's watchdog must stop an article that runs over budget and
the build records it in ingest_errors (too_slow / too_big) while keeping every other article."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelines import guard
from pipelines.ingest.documents import Document, IngestError
from pipelines.store import lake
from tests.cluster import run
from tests.cluster.corpus import article, write_corpus

pytestmark = pytest.mark.cluster

WORKER_BUDGET_S = 1.0  # the slow article below needs several seconds; a normal one a few milliseconds
ARTICLES = 20


SPIN_S = 20.0
finished: list[bool] = []


def spin(*args, **kwargs):
    """An analysis that would take SPIN_S seconds unless something stops it."""
    deadline = time.monotonic() + SPIN_S
    while time.monotonic() < deadline:  # busy: the budget counts CPU time
        pass
    finished.append(True)
    return {}, {}


def set_time_budget(seconds: float) -> None:
    """Run on each worker by the test: the budget of that worker process, once its first analysis
    (which loads the lexicons and word lists, slower than any article) is done."""
    guard.analyse_within_budget(Document("cd34", "warm.txt", article(0)))
    guard.TIME_BUDGET_S = seconds


def test_watchdog_stops_an_analysis_off_the_main_thread():
    doc = Document("ab12", "loop.txt", "A short text.")
    with ThreadPoolExecutor(1) as pool:  # how a Dask worker runs a task: in a thread of its own
        stopped = pool.submit(guard.analyse_within_budget, doc, spin, seconds=0.3).result()
        normal = pool.submit(guard.analyse_within_budget, doc).result()
    assert isinstance(stopped, IngestError) and stopped.error == "too_slow"
    assert not finished and "the other articles were kept" in stopped.message  # stopped, not judged afterwards
    assert not isinstance(normal, IngestError)  # the watchdog of the stopped analysis is gone


def test_cluster_build_records_articles_over_budget_and_keeps_the_rest(dask_cluster, tmp_path):
    seeds = tmp_path / "seeds"
    write_corpus(seeds, ARTICLES)  # and two unreadable files
    slow = "\n\n".join(article(i) for i in range(guard.MAX_ANALYSED_CHARS // 1000))  # under the size limit
    assert len(slow) < guard.MAX_ANALYSED_CHARS
    (seeds / "slow.txt").write_text(slow, encoding="utf-8")
    (seeds / "huge.txt").write_text("Words go on. " * (guard.MAX_ANALYSED_CHARS // 12), encoding="utf-8")
    with run.dask_client(dask_cluster.address) as client:
        client.run(set_time_budget, WORKER_BUDGET_S)
    env = run.lake_env(seeds, tmp_path / "wh" / "claims.sqlite", scheduler=dask_cluster.address)
    done = run.build(env)
    assert done.returncode == 0, done.stderr[-2000:]
    con = lake.connect(run.lake_paths(env), read_only=True)
    errors = {path: (error, message) for path, error, message in con.execute(
        "SELECT source_path, error, message FROM ingest_errors").fetchall()}
    kept = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    assert errors["huge.txt"][0] == "too_big", errors
    # stopped on the worker by the watchdog (an analysis judged only once it is over says less)
    assert errors["slow.txt"][0] == "too_slow" and "the other articles were kept" in errors["slow.txt"][1]
    assert kept == ARTICLES, errors
