"""Deterministic, atomic Parquet writing and reading of polars frames."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from pipelines import faults


def write_atomic(df: pl.DataFrame, path: Path) -> None:
    """Write `df` to `path` so that readers see the old file or the new one, never half of one.

    Same frame, same bytes: statistics and compression are fixed, no timestamps are embedded.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)  # never write through a stale link: it may share its data with a published file
    df.write_parquet(tmp, compression="zstd", compression_level=3, statistics=True, row_group_size=128_000)
    faults.crash_point("parquet_write")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def link_atomic(src: Path, path: Path) -> None:
    """Make `path` the same file as `src` (a hard link, or a copy across file systems), atomically."""
    import shutil

    path.parent.mkdir(parents=True, exist_ok=True)
    if same_file(src, path):
        return  # already that file (rename() between two links of one file would do nothing)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    os.replace(tmp, path)


def same_file(a: Path, b: Path) -> bool:
    """Are `a` and `b` one file (hard links to the same data)?"""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def read(path: Path) -> pl.DataFrame | None:
    """The frame stored at `path`, or None if there is none yet."""
    return pl.read_parquet(path) if path.exists() else None
