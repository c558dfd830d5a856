"""What changed since the lake's latest snapshot, partition by partition (for the sensor and the CLI).

A partition changed when one of its files was added, edited or removed (by size and modification
time against what the last ingest saw, in its index), when its articles differ from the lake's (a build killed
before its commit), or when another extractor version made its rows. Cheap: a walk of the folder
with lstat, the ingest index (no text) and one query of the catalog; no file is read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from pipelines import batch
from pipelines.ingest import incremental
from pipelines.settings import Paths
from pipelines.store import lake


def file_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """path (relative to the seeds folder) -> (size, modification time in ns) of every seed file."""
    if not root.is_dir():
        return {}
    return {rel: stamp for rel, stamp in incremental.walk(root, []) if stamp is not None}


def changed_partitions(p: Paths, stamps: dict[str, tuple[int, int]] | None = None) -> list[str]:
    """The partitions a build must analyse and commit, in order (empty: nothing changed).
    `stamps`: the folder's `file_stamps`, when the caller has them already."""
    stamps = file_stamps(p.seeds) if stamps is None else stamps
    index = incremental.read_index(p.staging)
    if index is None or not lake.exists(p):
        return list(lake.PARTITION_KEYS)
    known = {r[0]: (r[1], r[2]) for r in index.select("source_path", "file_size", "file_mtime_ns").iter_rows()}
    changed = {lake.bucket_of(path) for path, st in stamps.items() if path in known and known[path] != st}
    changed |= {lake.bucket_of(path) for path in stamps.keys() - known.keys()}  # new
    changed |= {lake.bucket_of(path) for path in known.keys() - stamps.keys()}  # removed
    published, versions = lake.published_state(p)
    version = batch.extractor_version()
    kept = index.filter(pl.col("kept"))
    for key in lake.PARTITION_KEYS:
        rows = kept.filter(pl.col("bucket") == key)
        current = set(zip(rows["article_id"].to_list(), rows["source_path"].to_list(), strict=True))
        if current != published.get(key, set()) or (current and versions.get(key) != version):
            changed.add(key)
    return sorted(changed)


def fingerprint(p: Paths, stamps: dict[str, tuple[int, int]]) -> str:
    """What `changed_partitions` depends on besides the lake's contents: the folder's stamps, the
    extractor version and where the lake is. Equal fingerprints, same answer, as long as only builds
    change the lake."""
    h = hashlib.sha256(repr(sorted(stamps.items())).encode())
    h.update(f"{batch.extractor_version()} {p.catalog} {lake.exists(p)}".encode())
    return h.hexdigest()[:24]
