"""The coordinator: read the seeds, hand each partition to the engine, record the unreadable inputs.

Partitions are independent (each commits its own snapshot), so a run that fails part-way leaves
every committed partition in place and the next run redoes only what is missing or changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pipelines import batch
from pipelines.cluster import engine, lakehouse
from pipelines.cluster.lakehouse import ALIAS, LakeConfig
from pipelines.cluster.partition import partition_key, partition_of, run_partition
from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import read_seeds
from pipelines.schemas import frame

DEFAULT_PARTITIONS = 16


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def group(docs: list[Document], n: int) -> dict[str, list[Document]]:
    """Documents by partition key (only partitions that have articles)."""
    out: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        out[partition_key(partition_of(doc.article_id, n), n)].append(doc)
    return dict(sorted(out.items()))


def build(seeds: Path, config: LakeConfig, *, partitions: int = DEFAULT_PARTITIONS, only: set[str] | None = None,
          scheduler: str | None = None, workers: int | None = None, now: dt.datetime | None = None,
          progress: Callable[[dict], None] | None = None) -> dict:
    """Materialise the partitions of `seeds` (all, or those in `only`) into the lake at `config`.

    Work runs on the Dask scheduler given (or $CLAIMS_SCHEDULER), else in local processes.
    Returns {partition: what run_partition returned} plus timings under "_run".
    """
    started = time.perf_counter()
    now = now or now_utc()
    docs, errors, _ = read_seeds(seeds)
    todo = {k: v for k, v in group(docs, partitions).items() if only is None or k in only}
    con = lakehouse.connect(config)
    try:
        lakehouse.ensure_tables(con)
        _drop_emptied(con, set(group(docs, partitions)), partitions, only)
        _record_errors(con, errors, now)
    finally:
        con.close()
    read_at = time.perf_counter()
    results: dict = {}
    with engine.executor(workers=workers, scheduler=scheduler) as pool:
        keys = list(todo)
        for result in pool.map(run_partition, keys, [todo[k] for k in keys], [config] * len(keys), [now] * len(keys)):
            results[result["partition"]] = result
            if progress:
                progress(result)
    results["_run"] = {"articles": sum(len(v) for v in todo.values()), "partitions": len(todo),
                       "seconds_prepare": round(read_at - started, 3),
                       "seconds_partitions": round(time.perf_counter() - read_at, 3),
                       "extractor_version": batch.extractor_version()}
    return results


def _drop_emptied(con, live: set[str], n: int, only: set[str] | None) -> None:
    """Partitions that no longer hold any article lose their rows (their files were removed)."""
    from pipelines.cluster.partition import commit

    for index in range(n):
        key = partition_key(index, n)
        if key not in live and (only is None or key in only):
            empty = {name: df for name, df in lakehouse.lake_tables().items() if name != "ingest_errors"}
            commit(con, key, empty)


def _record_errors(con, errors: list[IngestError], now: dt.datetime) -> None:
    """Replace the ingest_errors table; an error seen before keeps its first sighting."""
    previous = dict(((p, e, m), t) for p, e, m, t in con.execute(
        f"SELECT source_path, error, message, seen_at FROM {ALIAS}.ingest_errors").fetchall())
    rows = [{"source_path": e.source_path, "error": e.error, "message": e.message,
             "seen_at": previous.get((e.source_path, e.error, e.message), now)} for e in errors]
    df = frame("ingest_errors", rows)
    con.execute("BEGIN")
    con.execute(f"DELETE FROM {ALIAS}.ingest_errors")
    lakehouse.insert(con, "ingest_errors", df)
    con.execute("COMMIT")
