"""Atomic Parquet writing never changes a file that another path links to."""

import os

import polars as pl

from pipelines.store import parquet


def test_writing_never_goes_through_a_shared_link(tmp_path):
    published, staged = tmp_path / "published.parquet", tmp_path / "staged.parquet"
    parquet.write_atomic(pl.DataFrame({"x": [1]}), published)
    parquet.link_atomic(published, staged)
    parquet.link_atomic(published, staged)  # linking twice is harmless
    assert os.path.samefile(published, staged)
    parquet.write_atomic(pl.DataFrame({"x": [2]}), staged)
    assert pl.read_parquet(published)["x"].to_list() == [1]
    assert pl.read_parquet(staged)["x"].to_list() == [2]
    assert not list(tmp_path.glob(".*.tmp"))


def test_same_frame_same_bytes(tmp_path):
    df = pl.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    parquet.write_atomic(df, tmp_path / "one.parquet")
    parquet.write_atomic(df, tmp_path / "two.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
