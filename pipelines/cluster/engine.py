"""Where the analysis of chunks runs: a local process pool by default, a Dask cluster when
CLAIMS_SCHEDULER is set.

Both are handed out as a `concurrent.futures.Executor` (`Engine.pool`), so callers write
`pool.submit(fn, ...)` once. A Dask executor resubmits a task whose worker died (the scheduler does
that by itself) and retries a task that raised up to `RETRIES` times.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

SCHEDULER_ENV = "CLAIMS_SCHEDULER"
RETRIES = 2  # a task that raises is tried this many more times before the run fails
CONNECT_TIMEOUT_S = 30
PARENT_POLL_S = 0.5  # how often a worker looks whether its build is still alive
WORKERS_TIMEOUT_S = 60  # a worker started with the scheduler joins within seconds; a minute allows a slow start


@dataclass
class Engine:
    pool: Executor
    slots: int  # tasks that run at once (worker processes, or Dask worker threads)
    remote: bool  # True on a Dask cluster: workers may be other machines, with their own disks


def scheduler_address() -> str | None:
    """The Dask scheduler to use (e.g. tcp://10.0.0.5:8786), or None for the local process pool."""
    return os.environ.get(SCHEDULER_ENV) or None


@contextlib.contextmanager
def start(workers: int | None = None, scheduler: str | None = None) -> Iterator[Engine]:
    """The configured engine: Dask at `scheduler` (or $CLAIMS_SCHEDULER), else `workers` local processes."""
    address = scheduler or scheduler_address()
    if address:
        with dask_client(address) as client:
            wait_for_workers(client, address)
            slots = sum(client.nthreads().values()) or 1
            yield Engine(client.get_executor(retries=RETRIES, pure=False), slots, remote=True)
        return
    workers = workers or os.cpu_count() or 1
    with local_pool(workers) as pool:
        yield Engine(pool, workers, remote=False)


def local_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` spawned processes that end when this process ends, however it ends."""
    # "spawn", not fork: the calling process (Dagster) runs threads, and a forked child can inherit
    # a lock some other thread held at the time of the fork and wait on it forever
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=end_with_parent, initargs=(os.getpid(),))


def end_with_parent(parent: int) -> None:
    """In a worker: exit when the process that started it is gone. A build killed (SIGKILL, out of
    memory) cannot shut its pool down, and its idle workers, waiting on a queue they hold both ends
    of, would live on, holding the killed build's output pipes open."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def wait_for_workers(client, address: str, timeout: float | None = None) -> None:
    """Fail with a clear message when no worker joins the scheduler within `timeout` (default
    WORKERS_TIMEOUT_S): a scheduler without workers accepts every task and never runs one."""
    timeout = WORKERS_TIMEOUT_S if timeout is None else timeout
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        raise RuntimeError(f"no Dask worker joined the scheduler at {address} ({SCHEDULER_ENV}) within "
                           f"{timeout:g} s: start one (deploy/cluster/workers.sh worker) or unset {SCHEDULER_ENV} "
                           "to analyse on this machine") from exc


@contextlib.contextmanager
def dask_client(address: str):
    """A client of the Dask scheduler at `address`, with a clear message when it cannot be reached."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise RuntimeError(f"{SCHEDULER_ENV} is set but the 'distributed' package is not installed") from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except OSError as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address} ({SCHEDULER_ENV}): {exc}") from exc
    try:
        yield client
    finally:
        client.close()
