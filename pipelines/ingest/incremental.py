"""Ingest that reads only what changed, one partition at a time: the file index and the documents.

The last ingest's view of the seeds folder is kept in a staging folder:

- `index.parquet`: one row per file seen (path, size, modification time, partition, article id or
  the error, its notices, and whether it is the copy kept among files of identical text). No text.
- `documents/bucket=<k>.parquet`: the decoded text of every readable file of partition k.

A file whose size and modification time are unchanged is not opened; a partition none of whose
files was added, changed or removed keeps its documents file untouched. Files are read partition
by partition and each partition's documents are written before the next is read, so memory holds
one partition's new texts, never the corpus. Unreadable files are read again every time (they are
few, and a permission fixed does not change the modification time). A build that has just walked
the folder to plan its partitions hands that walk to its ingest (`walked`) instead of walking
again (10,000 files: 0.44 of the 0.97 s of an ingest with nothing changed, at load 6). No Dagster here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import read_document, seed_paths
from pipelines.store import parquet

INDEX_FILE = "index.parquet"
DOCUMENTS_DIR = "documents"
PROBLEM = pl.Struct({"kind": pl.Utf8, "message": pl.Utf8})
INDEX_COLUMNS = {"source_path": pl.Utf8, "file_size": pl.Int64, "file_mtime_ns": pl.Int64, "bucket": pl.Utf8,
                 "article_id": pl.Utf8, "problems": pl.List(PROBLEM), "kept": pl.Boolean}
DOCUMENT_COLUMNS = {"article_id": pl.Utf8, "source_path": pl.Utf8, "title": pl.Utf8, "published_on": pl.Date,
                    "text": pl.Utf8, "title_from_metadata": pl.Boolean, "notices": pl.List(PROBLEM)}

Stamp = tuple[int, int]  # size in bytes, modification time in ns
_WALKED: dict[str, tuple[list, list]] = {}  # seeds folder -> (walk, its errors) handed to the next ingest


@dataclass
class Ingested:
    """What one ingest found: the index (no text), the errors, and what it had to read and write."""

    index: pl.DataFrame
    errors: list[IngestError]
    files_read: int = 0
    buckets_written: list[str] = field(default_factory=list)


def documents_path(staging: Path, bucket: str) -> Path:
    return staging / DOCUMENTS_DIR / f"bucket={bucket}.parquet"


def read_index(staging: Path) -> pl.DataFrame | None:
    index = parquet.read(staging / INDEX_FILE)
    return index if index is not None and set(index.columns) == set(INDEX_COLUMNS) else None  # from an older layout: start again


@contextlib.contextmanager
def walked(root: Path, found: list[tuple[str, Stamp | None]], errors: list[IngestError]) -> Iterator[None]:
    """Within this block, the first `walk` of `root` is `found` (a walk just made, with its
    `errors`): a build plans and ingests from one look at the folder. A file changed in between is
    seen by the next build (the index keeps the stamps the build saw)."""
    _WALKED[str(root)] = (found, errors)
    try:
        yield
    finally:
        _WALKED.pop(str(root), None)


def walk(root: Path, errors: list[IngestError]) -> list[tuple[str, Stamp | None]]:
    """Every seed file (relative path, stamp) in walk order; folders that cannot be listed go to `errors`."""
    handed = _WALKED.pop(str(root), None)
    if handed is not None:
        errors.extend(handed[1])
        return handed[0]
    out = []
    for path, rel in seed_paths(root, errors):
        try:
            st = os.lstat(path)
            stamp: Stamp | None = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
        out.append((rel, stamp))
    return out


def _index_row(rel: str, stamp: Stamp | None, bucket: str, result: Document | IngestError) -> dict:
    size, mtime = stamp or (None, None)
    if isinstance(result, IngestError):
        return {"source_path": rel, "file_size": size, "file_mtime_ns": mtime, "bucket": bucket, "article_id": None,
                "problems": [{"kind": result.error, "message": result.message}], "kept": False}
    return {"source_path": rel, "file_size": size, "file_mtime_ns": mtime, "bucket": bucket,
            "article_id": result.article_id, "problems": [{"kind": k, "message": m} for k, m in result.notices],
            "kept": False}


def _document_row(doc: Document) -> dict:
    return {"article_id": doc.article_id, "source_path": doc.source_path, "title": doc.title,
            "published_on": doc.published_on, "text": doc.text, "title_from_metadata": doc.title_from_metadata,
            "notices": [{"kind": k, "message": m} for k, m in doc.notices]}


def _write_bucket(staging: Path, bucket: str, fresh: list[Document], keep: set[str]) -> None:
    """The partition's documents: those of unchanged files (`keep`, from its last file) and `fresh` ones."""
    path = documents_path(staging, bucket)
    parts = [pl.DataFrame([_document_row(d) for d in fresh], schema=DOCUMENT_COLUMNS)]
    kept = parquet.read(path) if keep else None
    if kept is not None:
        parts.append(kept.filter(pl.col("source_path").is_in(sorted(keep))))
    docs = pl.concat(parts).sort("source_path")
    if docs.height:
        parquet.write_atomic(docs, path)
    else:
        path.unlink(missing_ok=True)


def ingest(root: Path, staging: Path, bucket_of: Callable[[str], str]) -> Ingested:
    """Bring the index and the documents of `staging` up to date with the seeds folder `root`."""
    errors: list[IngestError] = []
    walked = walk(root, errors)
    old = read_index(staging)
    known = {r["source_path"]: r for r in old.iter_rows(named=True)} if old is not None else {}
    by_bucket: dict[str, list[tuple[str, Stamp | None]]] = {}
    for rel, stamp in walked:
        by_bucket.setdefault(bucket_of(rel), []).append((rel, stamp))
    old_buckets: dict[str, set[str]] = {}
    for rel, row in known.items():
        if row["article_id"] is not None:
            old_buckets.setdefault(row["bucket"], set()).add(rel)
    rows: dict[str, dict] = {}
    out = Ingested(index=pl.DataFrame(schema=INDEX_COLUMNS), errors=errors)
    for bucket in sorted(by_bucket.keys() | old_buckets.keys()):
        fresh: list[Document] = []
        for rel, stamp in by_bucket.get(bucket, []):
            prev = known.get(rel)
            if prev is not None and prev["article_id"] is not None and stamp == (prev["file_size"], prev["file_mtime_ns"]):
                rows[rel] = prev
                continue
            result = read_document(root / rel, root)
            out.files_read += 1
            rows[rel] = _index_row(rel, stamp, bucket, result)
            if isinstance(result, Document):
                fresh.append(result)
        readable = {rel for rel, _ in by_bucket.get(bucket, []) if rows[rel]["article_id"] is not None}
        if fresh or readable != old_buckets.get(bucket, set()):
            _write_bucket(staging, bucket, fresh, readable - {d.source_path for d in fresh})
            out.buckets_written.append(bucket)
    ordered = [rows[rel] for rel, _ in walked]
    _mark_duplicates(ordered, errors)
    if old is not None and not out.files_read and not out.buckets_written and list(known) == [r for r, _ in walked]:
        out.index = old  # the same files with the same stamps, in the same order: the same index (10,000 files: 0.2 s)
        return out
    out.index = pl.DataFrame(ordered, schema=INDEX_COLUMNS)
    parquet.write_atomic(out.index, staging / INDEX_FILE)  # last: an interrupted ingest reads again next time
    return out


def _mark_duplicates(rows: list[dict], errors: list[IngestError]) -> None:
    """Mark the first file (in walk order) of each text as kept; later copies become `duplicate` errors.
    Every file's error or notices go to `errors`."""
    first: dict[str, str] = {}
    for row in rows:
        errors.extend(IngestError(row["source_path"], p["kind"], p["message"]) for p in row["problems"])
        aid = row["article_id"]
        if aid is None:
            continue
        if aid in first:
            errors.append(IngestError(row["source_path"], "duplicate",
                                      f"{row['source_path']}: same text as {first[aid]}; kept once as article {aid}"))
            row["kept"] = False
        else:
            first[aid] = row["source_path"]
            row["kept"] = True


def documents(staging: Path, bucket: str, source_paths: list[str]) -> list[Document]:
    """The documents of `source_paths` in partition `bucket`, read from its documents file."""
    path = documents_path(staging, bucket)
    docs = parquet.read(path) if source_paths else None
    if docs is None:
        return []
    sel = docs.filter(pl.col("source_path").is_in(sorted(source_paths)))
    return [Document(**row) for row in sel.iter_rows(named=True)]
