"""One article analysed under a time and memory budget, so that no single input can stall the batch.

`analyse_within_budget` runs the extraction core on one document. A text over MAX_ANALYSED_CHARS
is refused before analysis (`too_big`); during analysis a timer checks, every CHECK_INTERVAL_S, the
CPU time the analysis used and how much the process grew, and stops the analysis with `too_slow` or
`too_big`. Either way the caller gets an IngestError for `ingest_errors` and the rest of the batch goes on.

Time is judged as CPU time of the analysing thread (`time.thread_time`: the analysis is pure Python
in one thread, and other threads of the process, such as Dagster's, are not its cost), not wall
clock: on a busy machine (2 cores shared by many processes) an article waits for the CPU without
costing more, and must not be rejected for it. A wall-clock ceiling, WALL_FACTOR times the CPU
budget, is kept as a last resort for an analysis that waits without computing.

Budgets, from measurements on this machine (2 shared cores) after the linear-scan fixes:
- the slowest of 1,004 real articles (PolNeAR train+dev, BBC sample) took 0.39 s, the mean 0.05 s,
  the longest had 33,672 characters;
- a 1 MB single hostile text (one huge sentence full of quotation marks, 60,000 one-line sentences,
  abbreviations throughout) takes 9-25 s and grows the process by under 30 MB.
So TIME_BUDGET_S is 150 times the slowest real article and still lets a 1 MB adversarial text
through; MAX_ANALYSED_CHARS is 60 times the longest real article; MEMORY_BUDGET_BYTES is 30 times
the growth seen at 1 MB.

The timer is SIGALRM, which Python delivers only to the main thread: that is where Dagster's
in-process executor and the spawned worker processes run the analysis. Off the main thread (a Dask
worker runs its tasks in a thread) a watchdog thread makes the same checks and raises the same
exception in the analysing thread; like a signal handler's, it lands between two bytecodes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from pipelines.ingest.documents import Document, IngestError
from pipelines.text.article import analyse

TIME_BUDGET_S = 60.0  # CPU seconds
WALL_FACTOR = 10  # at load 10 on 2 cores an analysis gets a fifth of a core: 5x slower, still under the ceiling
MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024
MAX_ANALYSED_CHARS = 2_000_000
CHECK_INTERVAL_S = 0.1


def budgets() -> dict[str, float | int]:
    """This process's budgets, as `analyse_within_budget` takes them: what another process analysing
    for this build (the warm worker) must apply."""
    return {"seconds": TIME_BUDGET_S, "memory": MEMORY_BUDGET_BYTES, "max_chars": MAX_ANALYSED_CHARS}


class OverBudget(Exception):
    """Raised inside the analysis by the budget timer; `kind` is `too_slow` or `too_big`."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def resident_bytes() -> int | None:
    """The process's resident memory now (Linux /proc), None where that cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _over_time(cpu_started: float, wall_started: float, seconds: float, wall_ceiling: float,
               cpu_clock: Callable[[], float] = time.thread_time) -> str | None:
    """Why the analysis begun at these clocks is over its time budget, or None if it is not."""
    cpu = cpu_clock() - cpu_started
    if cpu > seconds:
        return f"analysis used more than the {seconds:g} s CPU budget"
    wall = time.monotonic() - wall_started
    if wall > wall_ceiling:
        return f"analysis took longer than the {wall_ceiling:g} s wall-clock ceiling ({cpu:.0f} s of CPU)"
    return None


@contextmanager
def budget(seconds: float = TIME_BUDGET_S, memory: int = MEMORY_BUDGET_BYTES, wall_ceiling: float | None = None):
    """Raise OverBudget inside the block once it used more than `seconds` of CPU time (or ran longer
    than `wall_ceiling` by the clock, WALL_FACTOR x `seconds` unless given) or grew the process by more
    than `memory` bytes (checked every CHECK_INTERVAL_S; main thread only, else no-op)."""
    if threading.current_thread() is not threading.main_thread():
        with _watchdog(seconds, memory, seconds * WALL_FACTOR if wall_ceiling is None else wall_ceiling):
            yield
        return
    wall_ceiling = seconds * WALL_FACTOR if wall_ceiling is None else wall_ceiling
    cpu_started, wall_started = time.thread_time(), time.monotonic()
    base = resident_bytes()

    def check(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
        why = _over_time(cpu_started, wall_started, seconds, wall_ceiling)
        if why:
            raise OverBudget("too_slow", why)
        now = resident_bytes() if base is not None else None
        if now is not None and now - base > memory:
            raise OverBudget("too_big", f"analysis needed more than {memory / 2**20:,.0f} MB of memory")

    previous = signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, CHECK_INTERVAL_S, CHECK_INTERVAL_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Stopped(OverBudget):
    """What the watchdog raises in the analysing thread (an exception raised from another thread
    is made without arguments); turned into the OverBudget it stands for."""

    def __init__(self):
        super().__init__("too_slow", "analysis stopped by the budget watchdog")


@contextmanager
def _watchdog(seconds: float, memory: int, wall_ceiling: float):
    """`budget` for a thread other than the main one: a daemon thread makes the same checks every
    CHECK_INTERVAL_S, reading the analysing thread's own CPU clock."""
    target, base = threading.get_ident(), resident_bytes()
    clock = time.pthread_getcpuclockid(target)

    def cpu_clock() -> float:
        return time.clock_gettime(clock)

    cpu_started, wall_started = cpu_clock(), time.monotonic()
    lock, state = threading.Lock(), {"done": False, "fired": None}

    def watch() -> None:
        while True:
            time.sleep(CHECK_INTERVAL_S)
            with lock:
                if state["done"]:
                    return
                why = _over_time(cpu_started, wall_started, seconds, wall_ceiling, cpu_clock)
                now = resident_bytes() if base is not None else None
                if why:
                    state["fired"] = OverBudget("too_slow", why)
                elif now is not None and now - base > memory:
                    state["fired"] = OverBudget("too_big", f"analysis needed more than {memory / 2**20:,.0f} MB of memory")
                if state["fired"]:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Stopped))
                    return

    threading.Thread(target=watch, name="analysis-budget", daemon=True).start()
    try:
        yield
    except _Stopped:
        raise state["fired"] or _Stopped() from None
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:  # fired as the block ended: drop the exception if it is still pending
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


Analysed = tuple[dict, dict[str, list[dict]]]


def analyse_within_budget(doc: Document, run: Callable[..., Analysed] = analyse, *, seconds: float | None = None,
                          memory: int | None = None, max_chars: int | None = None,
                          wall_ceiling: float | None = None) -> Analysed | IngestError:
    """(facts, rows) of `doc`, or an IngestError (`too_big` / `too_slow`) when it exceeds a budget
    (the module's budgets unless given: `seconds` of CPU, `wall_ceiling` by the clock)."""
    seconds = TIME_BUDGET_S if seconds is None else seconds
    wall_ceiling = seconds * WALL_FACTOR if wall_ceiling is None else wall_ceiling
    memory = MEMORY_BUDGET_BYTES if memory is None else memory
    max_chars = MAX_ANALYSED_CHARS if max_chars is None else max_chars
    if len(doc.text) > max_chars:
        return IngestError(doc.source_path, "too_big", f"{doc.source_path}: {len(doc.text):,} characters is over the"
                                                       f" {max_chars:,} analysed per article; split the file")
    cpu_started, wall_started = time.thread_time(), time.monotonic()
    try:
        with budget(seconds, memory, wall_ceiling):
            result = run(doc.article_id, doc.text, title=doc.title, title_from_metadata=doc.title_from_metadata,
                         published_on=doc.published_on)
    except OverBudget as exc:
        return IngestError(doc.source_path, exc.kind, f"{doc.source_path}: left out, {exc} "
                                                      f"({len(doc.text):,} characters); the other articles were kept")
    except RecursionError:
        return IngestError(doc.source_path, "too_big", f"{doc.source_path}: left out, nested too deeply to analyse")
    why = _over_time(cpu_started, wall_started, seconds, wall_ceiling)
    if why:  # no timer off the main thread: judged afterwards
        return IngestError(doc.source_path, "too_slow", f"{doc.source_path}: left out, {why}")
    return result
