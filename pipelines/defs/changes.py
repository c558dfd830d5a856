"""What changed since the lake's latest snapshot, partition by partition (for the sensor and the CLI).

A partition changed when one of its files was added, edited or removed (by size and modification
time against what the last ingest saw), when its articles differ from the lake's (a build killed
before its commit), or when another extractor version made its rows. Cheap: a walk of the folder
with lstat, two small Parquet files and one query of the catalog; no file is read.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from pipelines import batch
from pipelines.ingest.read import seed_files
from pipelines.settings import Paths
from pipelines.store import lake

DOCUMENTS_FILE = "documents.parquet"
SEEN_FILE = "seen.parquet"  # every file the last ingest saw, readable or not, with its stamp


def file_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """path (relative to the seeds folder) -> (size, modification time in ns) of every seed file."""
    out = {}
    for path in seed_files(root) if root.is_dir() else []:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        out[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def stamps_frame(stamps: dict[str, tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame([(k, *v) for k, v in sorted(stamps.items())], orient="row",
                        schema={"source_path": pl.Utf8, "file_size": pl.Int64, "file_mtime_ns": pl.Int64})


def changed_partitions(p: Paths) -> list[str]:
    """The partitions a build must analyse and commit, in order (empty: nothing changed)."""
    stamps = file_stamps(p.seeds)
    docs_file, seen_file = p.staging / DOCUMENTS_FILE, p.staging / SEEN_FILE
    if not docs_file.exists() or not seen_file.exists() or not lake.exists(p):
        return list(lake.PARTITION_KEYS)
    docs = pl.read_parquet(docs_file, columns=["article_id", "source_path", "bucket"])
    known = {r[0]: (r[1], r[2]) for r in pl.read_parquet(seen_file).iter_rows()}
    changed = {lake.bucket_of(path) for path, st in stamps.items() if path in known and known[path] != st}
    changed |= {lake.bucket_of(path) for path in stamps.keys() - known.keys()}  # new (or refused before)
    changed |= {lake.bucket_of(path) for path in known.keys() - stamps.keys()}  # removed
    con = lake.connect(p, read_only=True)
    try:
        published, versions = lake.published_articles(con), lake.partition_versions(con)
    finally:
        con.close()
    version = batch.extractor_version()
    for key in lake.PARTITION_KEYS:
        rows = docs.filter(pl.col("bucket") == key)
        current = set(zip(rows["article_id"].to_list(), rows["source_path"].to_list(), strict=True))
        if current != published.get(key, set()) or (current and versions.get(key) != version):
            changed.add(key)
    return sorted(changed)


