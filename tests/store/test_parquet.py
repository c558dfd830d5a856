"""Atomic, deterministic Parquet writing."""

import polars as pl

from pipelines.store import parquet


def test_same_frame_same_bytes_and_no_leftovers(tmp_path):
    df = pl.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    parquet.write_atomic(df, tmp_path / "one.parquet")
    parquet.write_atomic(df, tmp_path / "two.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))
