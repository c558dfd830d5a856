"""One worker process that loads the extraction core while a build ingests and plans, so that the
few articles of a small build are analysed by a process that is already warm.

Before its first article a process spends ~0.3 s loading the core (imports, word frequencies, the
learned models, compiled patterns); analysing a 700-word article after that takes ~0.015 s. A build
of one new article spent those 0.3 s after its ingest and planning, on one core while the other was
idle. `start` spawns the worker at the beginning of a build that has partitions to analyse; it
loads the core on the other core; the extract step `take`s it for a batch too small for the pool
(`batch.PARALLEL_THRESHOLD`) and shuts it down after. Spawned, not forked (see `engine`). A worker
that died (killed, out of memory) is replaced by this process: the batch is analysed here. Not
started on a one-core machine or when a Dask cluster analyses (CLAIMS_SCHEDULER).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from pipelines import guard
from pipelines.cluster import engine
from pipelines.ingest.documents import Document

# a short article of our own that reaches every lazily loaded part of the core: a headline, a
# dateline, names with titles, an organisation, a quotation with its speaker, reported speech,
# `according to`, dates, a capitalised sentence opener and a learned cue
WARM_UP_TEXT = """Harbour plan approved after long debate

LONDON — The Westfield Harbour Board approved the new quay on Tuesday, its chair Dr Ana Ruiz said.

“We have waited ten years for this,” said Ms Ruiz, 54. Critics claimed the cost would double by 2027.

Meanwhile, according to the board's own report, traffic fell by 12 per cent last March. Mr Tom Hale
welcomed the decision but warned that funding remained uncertain.
"""

_pool: ProcessPoolExecutor | None = None


def _warm_up() -> None:
    """In the worker: load everything the analysis of an article needs."""
    analyse_all([Document("0" * 16, "warm-up.txt", WARM_UP_TEXT)])


def analyse_all(docs: list[Document], budgets: dict | None = None) -> list:
    """In the worker: each document's analysis within the build's budgets (`guard.budgets()` of the
    build's process; `guard.analyse_within_budget`: (facts, rows), or an IngestError); the frames and
    their checks are made by the build's process."""
    return [guard.analyse_within_budget(doc, **(budgets or {})) for doc in docs]


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """While a worker is spawned: the build's main module looks like one a spawned child need not
    import. A spawned child imports the parent's main script first, and a run launched by the Dagster
    daemon (or `dagster job execute`) has Dagster's command line as its main: the worker imported all
    of it (~0.7 s) before loading the core, and the run waited for it (the benchmark's sensor-style run
    went from 5.6 to 6.1 s). The worker needs nothing from it: its tasks are functions of this package.
    `python -m pipelines` needs no hiding (a `__main__` module is never imported again)."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__spec__", "__file__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def start() -> None:
    """Spawn the worker and have it load the core, unless one is running (or it cannot help)."""
    global _pool
    if _pool is not None or engine.scheduler_address() or (os.cpu_count() or 1) < 2:
        return
    try:
        _pool = engine.local_pool(1)
        with _main_hidden():  # the worker starts on this first task
            _pool.submit(_warm_up)
    except (OSError, RuntimeError):  # no process can be started here: the build analyses in-process
        _pool = None


def take() -> ProcessPoolExecutor | None:
    """The warm worker, if one was started: the caller owns it now and shuts it down."""
    global _pool
    pool, _pool = _pool, None
    return pool


def stop() -> None:
    """Shut the worker down without waiting (a build that will not use it)."""
    pool = take()
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
