"""Many articles at once: parallel extraction into staged Parquet, a chunk at a time.

Only articles the lake does not hold yet (new or changed text, or a new extractor version) are
analysed; the lake keeps the rows of every other article, so nothing is carried over in memory.
Articles are analysed in chunks; each chunk becomes contract frames and is written straight to
its own Parquet files (in the worker process when the batch is large), so memory holds a few
chunks, never a whole table, however large the corpus. With CLAIMS_SCHEDULER set the chunks are
analysed on a Dask cluster instead (`pipelines.cluster.engine`) and their frames staged here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from pathlib import Path

import polars as pl

from pipelines import chunk_checks, guard
from pipelines.cluster import engine, prewarm
from pipelines.ingest.documents import Document, IngestError
from pipelines.schemas import ENTITY_ROWS, REJECTED, frame
from pipelines.store import parquet
from pipelines.text.article import PER_ARTICLE_TABLES

PARALLEL_THRESHOLD = 200  # fewer new articles than this are analysed in-process
CHUNK_SIZE = 125
IN_FLIGHT_PER_WORKER = 2  # chunks submitted ahead of the results: bounds the documents held at once
STAGED_TABLES = ("articles", *(t for t in PER_ARTICLE_TABLES if t != "entities"), ENTITY_ROWS, REJECTED)

Frames = dict[str, pl.DataFrame]


def extractor_version() -> str:
    """A hash of the extraction core's code and lexicons: rows from another version are not reused."""
    h = hashlib.sha256()
    root = resources.files("pipelines.text")
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".py"):
            h.update(entry.read_bytes())
    for entry in sorted(root.joinpath("lexicons").iterdir(), key=lambda p: p.name):
        h.update(entry.read_bytes())
    return h.hexdigest()[:16]


def analyse_chunk(docs: list[Document], now: dt.datetime, analysed: list | None = None) -> Frames:
    """Frames of every staged table for `docs` (articles and per-article entity rows included);
    `analysed`: each document's `guard.analyse_within_budget`, when another process made them.

    An article over the guard's time or memory budget is left out; its ingest_errors row (with its
    article id, so the lake knows it and does not try it again until it changes) is in REJECTED."""
    article_rows: list[dict] = []
    table_rows: dict[str, list[dict]] = {t: [] for t in PER_ARTICLE_TABLES}
    entity_rows: list[dict] = []
    rejected: list[dict] = []
    for doc, result in zip(docs, analysed or map(guard.analyse_within_budget, docs), strict=True):
        if isinstance(result, IngestError):  # over its time or memory budget: a row, not a stalled batch
            logging.getLogger(__name__).warning(result.message)
            rejected.append({"article_id": doc.article_id, "source_path": result.source_path, "error": result.error,
                             "message": result.message, "seen_at": now})
            continue
        facts, rows = result
        article_rows.append({
            "article_id": doc.article_id, "source_path": doc.source_path, "title": facts["title"],
            "published_on": doc.published_on, "text": doc.text, "n_paragraphs": facts["n_paragraphs"],
            "n_sentences": facts["n_sentences"], "n_words": facts["n_words"], "ingested_at": now,
        })
        entity_rows += _used_entities(doc.article_id, rows)
        for table, trows in rows.items():
            table_rows[table].extend(trows)
    frames = {"articles": frame("articles", article_rows)}
    for table, trows in table_rows.items():
        if table != "entities":
            frames[table] = frame(table, trows)
    frames[ENTITY_ROWS] = _entity_frame(entity_rows)
    frames[REJECTED] = pl.DataFrame(rejected, schema={"article_id": pl.Utf8, **frame("ingest_errors").schema})
    return frames


def _used_entities(article_id: str, rows: dict[str, list[dict]]) -> list[dict]:
    """The article's entity rows that its mentions, sources or claim links refer to, tagged with it."""
    used = {r["entity_id"] for t in ("mentions", "sources", "claim_entities") for r in rows[t] if r.get("entity_id")}
    return [{"article_id": article_id, **r} for r in rows["entities"] if r["entity_id"] in used]


def _entity_frame(rows: list[dict]) -> pl.DataFrame:
    ents = frame("entities")
    schema = {"article_id": pl.Utf8, **ents.schema}
    df = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return (df.group_by("article_id", "entity_id", maintain_order=True)
            .agg(pl.col("canonical_name").min(), pl.col("entity_type").min(), pl.col("acronym").drop_nulls().min())
            .select(schema.keys()).sort("article_id", "entity_id"))


def fold_entities(entity_rows: pl.DataFrame) -> pl.DataFrame:
    """One row per entity from per-article entity rows: the rule of the lake's `entities` view."""
    return (entity_rows.group_by("entity_id")
            .agg(pl.col("canonical_name").min(), pl.col("entity_type").min(), pl.col("acronym").drop_nulls().min())
            .select(frame("entities").columns).sort("entity_id"))


def stage_chunk(docs: list[Document], now: dt.datetime, folder: Path, name: str) -> dict[str, tuple[str, int]]:
    """Analyse `docs`, write each table's frame to `folder/<table>/<name>.parquet` and what the
    contract checks found in them to `folder/_checks/<name>.json` (`pipelines.chunk_checks`).

    Returns table -> (file, rows); tables with no rows get no file."""
    return write_frames(*analyse_and_check(docs, now), folder, name)


def analyse_and_check(docs: list[Document], now: dt.datetime, analysed: list | None = None) -> tuple[Frames, dict]:
    """The frames of `docs` and what the contract checks found in them (what a cluster worker runs).
    An article whose own rows break the contract is left out, with an ingest_errors row `contract`
    naming the rules, so the rest of the chunk lands (`leave_out`)."""
    frames = analyse_chunk(docs, now, analysed)
    checked = chunk_checks.check_frames(frames)
    if checked["findings"]:
        breaking = chunk_checks.breaking_articles(frames)
        if breaking:
            frames = leave_out(frames, breaking, now)
            checked = chunk_checks.check_frames(frames)
    return frames, checked


def leave_out(frames: Frames, breaking: dict[str, list[str]], now: dt.datetime) -> Frames:
    """`frames` without the articles in `breaking` (article id -> rules broken), each given a
    REJECTED row: the lake records it and tries it again when the article or the extractor changes."""
    ids = list(breaking)
    paths = dict(frames["articles"].filter(pl.col("article_id").is_in(ids)).select("article_id", "source_path").iter_rows())
    for aid, rules in breaking.items():
        logging.getLogger(__name__).warning("%s: left out, its rows break the contract (%s)", paths[aid], "; ".join(rules))
    kept = {t: df if t == REJECTED or (article := chunk_checks.article_of(df)) is None else df.filter(~article.is_in(ids))
            for t, df in frames.items()}
    rejected = pl.DataFrame([{"article_id": aid, "source_path": paths[aid], "error": "contract",
                              "message": f"{paths[aid]}: left out, the analysis gave rows that break the contract "
                                         f"({'; '.join(rules)}); it is tried again when the article or the "
                                         "extractor changes", "seen_at": now} for aid, rules in breaking.items()],
                            schema=frames[REJECTED].schema)
    kept[REJECTED] = pl.concat([frames[REJECTED], rejected])
    return kept


def write_frames(frames: Frames, findings: dict, folder: Path, name: str) -> dict[str, tuple[str, int]]:
    """Stage each table's frame as `folder/<table>/<name>.parquet` (none for an empty frame), then
    the checks' findings. Not fsynced: staged files are read by this run's commit and removed after
    it, and a machine that stops ends the run (about 1,000 files in a 10,000-article full refresh,
    ~5 ms each on this machine's disk)."""
    out = {}
    for table, df in frames.items():
        if df.height:
            path = folder / table / f"{name}.parquet"
            parquet.write_atomic(df, path, durable=False)
            out[table] = (str(path), df.height)
    chunk_checks.write(findings, folder, name)  # last: a chunk checked is a chunk staged
    return out


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


Work = tuple[str, list[Document]]  # (bucket, documents of that bucket to analyse)


def stage_buckets(work: Iterable[Work], total: int, now: dt.datetime, staging: Path, workers: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, dict[str, list[Path]]]:
    """Analyse every bucket's documents into `staging/bucket=<k>/<table>/*.parquet`.

    `work` may be a generator: buckets are read as chunks are submitted, at most a few chunks ahead.
    Returns bucket -> table -> staged files."""
    workers = workers or os.cpu_count() or 1
    staged: dict[str, dict[str, list[Path]]] = {}
    done = 0

    def record(bucket: str, n: int, result: dict[str, tuple[str, int]]) -> None:
        nonlocal done
        for table, (path, _rows) in result.items():
            staged.setdefault(bucket, {}).setdefault(table, []).append(Path(path))
        done += n
        if progress:
            progress(done, total)

    jobs = ((bucket, i, chunk) for bucket, docs in work for i, chunk in enumerate(_chunks(docs, CHUNK_SIZE)))
    on_cluster = engine.scheduler_address() is not None  # CLAIMS_SCHEDULER: every chunk goes to the cluster
    if not on_cluster and (total < PARALLEL_THRESHOLD or workers == 1):
        warm = prewarm.take()  # a worker that loaded the core while this build ingested, if any
        try:
            for bucket, i, chunk in jobs:
                result, warm = _stage_small(warm, chunk, now, staging / f"bucket={bucket}", f"part-{i:05d}")
                record(bucket, len(chunk), result)
        finally:
            if warm is not None:
                warm.shutdown(wait=False)
        return staged
    prewarm.stop()  # the pool's workers analyse: the core is theirs
    with engine.start(workers=workers) as eng:
        pending: list[tuple[str, int, Callable[[], dict]]] = []
        for bucket, i, chunk in jobs:
            pending.append((bucket, len(chunk), _submit(eng, chunk, now, staging / f"bucket={bucket}", f"part-{i:05d}")))
            while len(pending) >= eng.slots * IN_FLIGHT_PER_WORKER:
                b, n, wait = pending.pop(0)
                record(b, n, wait())
        for b, n, wait in pending:
            record(b, n, wait())
    return staged


def _stage_small(warm: ProcessPoolExecutor | None, chunk: list[Document], now: dt.datetime, folder: Path, name: str
                 ) -> tuple[dict[str, tuple[str, int]], ProcessPoolExecutor | None]:
    """Stage one chunk of a small batch, its articles analysed in the warm worker, else (none, or it
    died) in this process; returns the staged files and the worker still usable."""
    analysed = None
    if warm is not None:
        try:
            analysed = warm.submit(prewarm.analyse_all, chunk, guard.budgets()).result()
        except BrokenProcessPool:
            warm.shutdown(wait=False)
            warm = None
    return write_frames(*analyse_and_check(chunk, now, analysed), folder, name), warm


def _submit(eng: engine.Engine, chunk: list[Document], now: dt.datetime, folder: Path, name: str
            ) -> Callable[[], dict[str, tuple[str, int]]]:
    """Start one chunk; returns what waits for it and gives its staged files. A local process writes
    its own files; a cluster worker sends the frames back and they are staged here, so workers need
    no access to this machine's disk."""
    if eng.remote:
        future = eng.pool.submit(analyse_and_check, chunk, now)
        return lambda: write_frames(*future.result(), folder, name)
    return eng.pool.submit(stage_chunk, chunk, now, folder, name).result
