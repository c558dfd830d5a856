"""Many articles at once: incremental reuse of earlier rows, parallel extraction, contract frames.

An article whose id (hash of its text) already has rows from an earlier run of the same extractor
version is not analysed again; its rows are carried over, `ingested_at` included, so an unchanged
input gives byte-identical tables. Removed articles simply are not carried. Large batches of new
articles are analysed in worker processes, in chunks, to use every core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib import resources

import polars as pl

from pipelines.ingest.documents import Document
from pipelines.schemas import frame
from pipelines.text.article import PER_ARTICLE_TABLES, analyse

PARALLEL_THRESHOLD = 200  # fewer new articles than this are analysed in-process
CHUNK_SIZE = 100


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


def _analyse_one(doc: Document) -> tuple[dict, dict[str, list[dict]]]:
    facts, rows = analyse(doc.article_id, doc.text, title=doc.title, title_from_metadata=doc.title_from_metadata,
                          published_on=doc.published_on)
    return facts, rows


def _analyse_chunk(docs: list[Document]) -> list[tuple[dict, dict[str, list[dict]]]]:
    return [_analyse_one(d) for d in docs]


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def analyse_many(docs: list[Document], workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[tuple[dict, dict[str, list[dict]]]]:
    """Analyse `docs`, in parallel when there are many; results in the order of `docs`."""
    workers = workers or os.cpu_count() or 1
    results: list = []
    if len(docs) < PARALLEL_THRESHOLD or workers == 1:
        for i, d in enumerate(docs):
            results.append(_analyse_one(d))
            if progress and (i + 1) % CHUNK_SIZE == 0:
                progress(i + 1, len(docs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk_result in pool.map(_analyse_chunk, _chunks(docs, CHUNK_SIZE)):
                results.extend(chunk_result)
                if progress:
                    progress(len(results), len(docs))
    return results


def build_tables(
    docs: list[Document],
    previous: dict[str, pl.DataFrame] | None,
    now: dt.datetime,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, pl.DataFrame], dict[str, int]]:
    """Contract frames for `docs`, reusing `previous` rows for unchanged articles.

    Returns (frames by table, stats with counts of analysed and reused articles).
    """
    previous = previous or {}
    prev_articles = previous.get("articles")
    known: set[str] = set(prev_articles["article_id"].to_list()) if prev_articles is not None else set()
    current_ids = [d.article_id for d in docs]
    reused_ids = [a for a in current_ids if a in known]
    fresh = [d for d in docs if d.article_id not in known]

    results = analyse_many(fresh, workers=workers, progress=progress)
    article_rows = []
    table_rows: dict[str, list[dict]] = {t: [] for t in PER_ARTICLE_TABLES}
    for doc, (facts, rows) in zip(fresh, results, strict=True):
        article_rows.append({
            "article_id": doc.article_id, "source_path": doc.source_path, "title": facts["title"],
            "published_on": doc.published_on, "text": doc.text, "n_paragraphs": facts["n_paragraphs"],
            "n_sentences": facts["n_sentences"], "n_words": facts["n_words"], "ingested_at": now,
        })
        for table, trows in rows.items():
            table_rows[table].extend(trows)

    frames: dict[str, pl.DataFrame] = {}
    fresh_articles = frame("articles", article_rows)
    paths = {d.article_id: d.source_path for d in docs}
    keep = pl.Series(reused_ids, dtype=pl.Utf8)
    if prev_articles is not None and reused_ids:
        carried = prev_articles.filter(pl.col("article_id").is_in(keep.implode()))
        # the text is the same but the file may have moved: the path is today's
        carried = carried.with_columns(pl.col("article_id").replace_strict(paths, return_dtype=pl.Utf8).alias("source_path"))
        fresh_articles = pl.concat([carried.select(fresh_articles.columns), fresh_articles])
    frames["articles"] = frame("articles").vstack(fresh_articles.cast(frame("articles").schema)).sort("article_id")

    for table in PER_ARTICLE_TABLES:
        new = frame(table, table_rows[table])
        old = previous.get(table)
        if old is not None and reused_ids and table != "entities":
            key = "article_id" if "article_id" in old.columns else None
            if key:
                old = old.filter(pl.col(key).is_in(keep.implode()))
            else:  # claim_entities: keyed through the claim id, which starts with the article id
                old = old.filter(pl.col("claim_id").str.slice(0, 16).is_in(keep.implode()))
            new = frame(table).vstack(pl.concat([old.select(new.columns), new]))
        frames[table] = new.sort(_sort_keys(table), nulls_last=True) if new.height else new
    frames["entities"] = _entities(frames["mentions"], table_rows["entities"], previous.get("entities"))
    stats = {"articles": len(docs), "analysed": len(fresh), "reused": len(reused_ids)}
    return frames, stats


def _sort_keys(table: str) -> list[str]:
    from pipelines.schemas import SORT_KEYS

    return SORT_KEYS[table]


def _entities(mentions: pl.DataFrame, fresh_rows: list[dict], previous: pl.DataFrame | None) -> pl.DataFrame:
    """Entities still mentioned somewhere: fresh definitions first, then earlier ones."""
    pool = frame("entities", fresh_rows)
    if previous is not None:
        pool = pl.concat([pool, previous.select(pool.columns)])
    used = mentions.select("entity_id").unique()
    ents = pool.unique(subset="entity_id", keep="first", maintain_order=True).join(used, on="entity_id", how="semi")
    return ents.sort("entity_id")
