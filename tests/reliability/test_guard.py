"""The per-article guard: an article over its time or memory budget becomes an ingest_errors row
(`too_slow` / `too_big`) and every other article of the batch lands."""

from __future__ import annotations

import time

from pipelines import guard
from pipelines.defs.run import materialise
from pipelines.ingest.documents import Document, IngestError
from pipelines.store import lake
from pipelines.text.normalise import article_id
from tests.conftest import SAMPLE_ARTICLE


def doc(text: str, path: str = "a.txt") -> Document:
    return Document(article_id(text), path, text)


def spin(seconds: float):
    """An analysis that burns `seconds` of its own thread's CPU time (not wall time: on a loaded machine
    a wall-clock spin may get too little CPU to exceed a CPU budget)."""
    def run(*args, **kwargs):
        end = time.thread_time() + seconds
        give_up = time.monotonic() + 60
        while time.thread_time() < end and time.monotonic() < give_up:  # pure Python: the budget timer can interrupt it
            pass
        return {}, {}
    return run


def test_analysis_over_its_time_budget_is_stopped():
    started = time.monotonic()
    result = guard.analyse_within_budget(doc("Some text."), spin(30), seconds=0.3)
    assert isinstance(result, IngestError) and result.error == "too_slow"
    assert time.monotonic() - started < 10  # stopped, not run to its end
    assert "a.txt" in result.message and "CPU budget" in result.message


def wait(seconds: float):
    def run(*args, **kwargs):
        time.sleep(seconds)  # time passes, no CPU is used: what a busy machine looks like to the analysis
        return {"waited": seconds}, {}
    return run


def test_waiting_for_the_cpu_is_not_charged_to_the_article():
    """The budget is CPU time: an analysis that spends longer than its budget waiting (a loaded
    machine, a descheduled process) but computes little is kept."""
    result = guard.analyse_within_budget(doc("Some text."), wait(1.0), seconds=0.3, wall_ceiling=30)
    assert result == ({"waited": 1.0}, {})


def test_wall_clock_ceiling_is_the_last_resort():
    started = time.monotonic()
    result = guard.analyse_within_budget(doc("Some text."), wait(30), seconds=5, wall_ceiling=0.5)
    assert isinstance(result, IngestError) and result.error == "too_slow" and "wall-clock" in result.message
    assert time.monotonic() - started < 10


def test_default_wall_ceiling_is_far_above_the_cpu_budget():
    assert guard.WALL_FACTOR >= 5  # a machine five times oversubscribed still analyses a budget-sized article


def test_off_the_main_thread_cpu_time_is_judged_afterwards():
    import threading

    out = {}

    def in_thread():
        out["spin"] = guard.analyse_within_budget(doc("Some text."), spin(0.6), seconds=0.2)
        out["wait"] = guard.analyse_within_budget(doc("Some text."), wait(0.6), seconds=0.2, wall_ceiling=30)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join(30)
    assert isinstance(out["spin"], IngestError) and out["spin"].error == "too_slow" and "CPU" in out["spin"].message
    assert out["wait"] == ({"waited": 0.6}, {})


def test_analysis_over_its_memory_budget_is_stopped():
    def hog(*args, **kwargs):
        held = []
        for _ in range(4000):  # up to 4 GB, a megabyte at a time
            held.append(bytearray(1024 * 1024))
            time.sleep(0.001)
        return {}, {}

    result = guard.analyse_within_budget(doc("Some text."), hog, memory=64 * 1024 * 1024)
    assert isinstance(result, IngestError) and result.error == "too_big" and "memory" in result.message


def test_text_over_the_analysed_size_is_refused_before_analysis():
    called = []
    result = guard.analyse_within_budget(doc("word " * 100), lambda *a, **k: called.append(1), max_chars=50)
    assert isinstance(result, IngestError) and result.error == "too_big" and not called


def test_normal_article_is_analysed_and_the_timer_is_cleared():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    facts, rows = guard.analyse_within_budget(doc(SAMPLE_ARTICLE))
    assert rows["quotes"] and facts["n_paragraphs"] > 1
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_batch_lands_without_the_article_over_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_ANALYSED_CHARS", 5_000)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE)
    (seeds / "huge.txt").write_text("The council met again and said nothing new. " * 400)  # 18,000 characters
    warehouse = tmp_path / "wh" / "claims.sqlite"
    result = materialise(seeds, warehouse)
    assert result.success
    con = lake.open_warehouse(warehouse)
    assert con.execute("SELECT source_path FROM articles").fetchall() == [("harbour.txt",)]
    assert con.execute("SELECT source_path, error FROM ingest_errors").fetchall() == [("huge.txt", "too_big")]
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
    con.close()
    # the article over budget is not tried again while its text is unchanged
    again = materialise(seeds, warehouse)
    assert again.success and not again.asset_materializations_for_node("extract")
    con = lake.open_warehouse(warehouse)
    assert con.execute("SELECT source_path, error FROM ingest_errors").fetchall() == [("huge.txt", "too_big")]
    con.close()
