"""Many articles at once: incremental reuse of earlier rows, parallel extraction, contract frames.

An article whose id (hash of its text) already has rows from an earlier run of the same extractor
version is not analysed again; its rows are carried over, `ingested_at` included, so an unchanged
input gives byte-identical tables. Removed articles simply are not carried. New articles are
analysed in chunks; each chunk becomes polars frames straight away (in the worker process when
the batch is large), so memory holds columnar frames rather than millions of row dicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib import resources

import polars as pl

from pipelines import guard
from pipelines.ingest.documents import Document, IngestError
from pipelines.schemas import SORT_KEYS, frame
from pipelines.text.article import PER_ARTICLE_TABLES

PARALLEL_THRESHOLD = 200  # fewer new articles than this are analysed in-process
CHUNK_SIZE = 250
TABLES = ("articles", *PER_ARTICLE_TABLES)
REJECTED = "rejected"  # ingest_errors rows of articles left out for exceeding the guard's budgets

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


def analyse_chunk(docs: list[Document], now: dt.datetime) -> Frames:
    """Frames of every table for `docs` (articles included). An article over the guard's budget is
    left out and logged; `analyse_chunk_guarded` also returns its ingest_errors row."""
    frames = analyse_chunk_guarded(docs, now)
    for message in frames.pop(REJECTED)["message"]:
        logging.getLogger(__name__).warning(message)
    return frames


def analyse_chunk_guarded(docs: list[Document], now: dt.datetime) -> Frames:
    """Frames of every table for `docs`, plus REJECTED: ingest_errors rows of articles over budget."""
    article_rows: list[dict] = []
    table_rows: dict[str, list[dict]] = {t: [] for t in PER_ARTICLE_TABLES}
    rejected: list[dict] = []
    for doc in docs:
        result = guard.analyse_within_budget(doc)
        if isinstance(result, IngestError):  # over its time or memory budget: a row, not a stalled batch
            rejected.append({"source_path": result.source_path, "error": result.error, "message": result.message,
                             "seen_at": now})
            continue
        facts, rows = result
        article_rows.append({
            "article_id": doc.article_id, "source_path": doc.source_path, "title": facts["title"],
            "published_on": doc.published_on, "text": doc.text, "n_paragraphs": facts["n_paragraphs"],
            "n_sentences": facts["n_sentences"], "n_words": facts["n_words"], "ingested_at": now,
        })
        for table, trows in rows.items():
            table_rows[table].extend(trows)
    frames = {"articles": frame("articles", article_rows), REJECTED: frame("ingest_errors", rejected)}
    for table, trows in table_rows.items():
        frames[table] = frame(table, trows)
    return frames


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def analyse_many(docs: list[Document], now: dt.datetime, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[Frames]:
    """Frames per chunk of `docs`, analysed in worker processes when there are many."""
    workers = workers or os.cpu_count() or 1
    chunks = list(_chunks(docs, CHUNK_SIZE))
    out: list[Frames] = []
    done = 0
    if len(docs) < PARALLEL_THRESHOLD or workers == 1:
        results: Iterable[Frames] = (analyse_chunk_guarded(c, now) for c in chunks)
        for chunk, res in zip(chunks, results, strict=True):
            out.append(res)
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        return out
    # "spawn", not fork: the calling process (Dagster) runs threads, and a forked child can inherit
    # a lock some other thread held at the time of the fork and wait on it forever
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for chunk, res in zip(chunks, pool.map(analyse_chunk_guarded, chunks, [now] * len(chunks)), strict=True):
            out.append(res)
            done += len(chunk)
            if progress:
                progress(done, len(docs))
    return out


def build_tables(
    docs: list[Document],
    previous: Frames | None,
    now: dt.datetime,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Frames, dict[str, float]]:
    """Contract frames for `docs`, reusing `previous` rows for unchanged articles.

    Returns (frames by table, stats: articles, analysed, reused, seconds_analyse, seconds_assemble).
    """
    previous = previous or {}
    prev_articles = previous.get("articles")
    known: set[str] = set(prev_articles["article_id"].to_list()) if prev_articles is not None else set()
    reused_ids = [d.article_id for d in docs if d.article_id in known]
    fresh = [d for d in docs if d.article_id not in known]

    started = time.perf_counter()
    parts = analyse_many(fresh, now, workers=workers, progress=progress)
    analysed_at = time.perf_counter()

    keep = pl.Series(reused_ids, dtype=pl.Utf8).implode()
    paths = {d.article_id: d.source_path for d in docs}
    frames: Frames = {}
    for table in TABLES:
        pieces = [p.pop(table) for p in parts]  # let each chunk's frame go once it is combined
        old = previous.get(table)
        if old is not None and reused_ids and table != "entities":
            if "article_id" in old.columns:
                old = old.filter(pl.col("article_id").is_in(keep))
            else:  # claim_entities: the claim id starts with the article id
                old = old.filter(pl.col("claim_id").str.slice(0, 16).is_in(keep))
            if table == "articles":  # the text is the same but the file may have moved
                old = old.with_columns(pl.col("article_id").replace_strict(paths, return_dtype=pl.Utf8).alias("source_path"))
            pieces.insert(0, old.select(frame(table).columns).cast(frame(table).schema))
        combined = pl.concat(pieces, how="vertical", rechunk=False) if pieces else frame(table)
        del pieces
        frames[table] = combined.sort(SORT_KEYS[table], nulls_last=True) if combined.height else frame(table)
    frames["entities"] = _entities(frames, previous.get("entities"))
    rejected = [p.pop(REJECTED) for p in parts]
    frames[REJECTED] = pl.concat(rejected).sort(SORT_KEYS["ingest_errors"]) if rejected else frame("ingest_errors")
    stats = {"articles": len(docs), "analysed": len(fresh), "reused": len(reused_ids),
             "seconds_analyse": round(analysed_at - started, 3),
             "seconds_assemble": round(time.perf_counter() - analysed_at, 3)}
    return frames, stats


def _entities(frames: Frames, previous: pl.DataFrame | None) -> pl.DataFrame:
    """Entities still referred to somewhere, one row per id; the acronym is the same on any run order."""
    pool = frames["entities"]
    if previous is not None:
        pool = pl.concat([pool, previous.select(pool.columns)])
    used = pl.concat([
        frames["mentions"].select("entity_id"),
        frames["sources"].select("entity_id").drop_nulls(),
        frames["claim_entities"].select("entity_id"),
    ]).unique()
    ents = (pool.join(used, on="entity_id", how="semi")
            .group_by("entity_id")
            .agg(pl.col("canonical_name").min(), pl.col("entity_type").min(), pl.col("acronym").drop_nulls().min()))
    return ents.select(frame("entities").columns).sort("entity_id")
