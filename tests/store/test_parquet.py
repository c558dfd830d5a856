"""Atomic, deterministic Parquet writing."""

import polars as pl

from pipelines.store import parquet


def test_same_frame_same_bytes_and_no_leftovers(tmp_path):
    df = pl.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    parquet.write_atomic(df, tmp_path / "one.parquet")
    parquet.write_atomic(df, tmp_path / "two.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_reader_sees_a_whole_file_while_another_build_replaces_it(tmp_path):
    """Concurrent builds replace the staged index and documents while the other reads them: each read
    is one whole version (polars given the path read a replaced file's row groups against the old
    file's size, and panicked)."""
    import threading
    import time

    path = tmp_path / "index.parquet"
    parquet.write_atomic(pl.DataFrame({"a": [0]}), path, durable=False)
    stop = threading.Event()

    def replace():
        n = 1
        while not stop.is_set():
            n = n % 3000 + 1
            parquet.write_atomic(pl.DataFrame({"a": range(n), "t": ["x" * (n % 41)] * n}), path, durable=False)

    writer = threading.Thread(target=replace)
    writer.start()
    reads, ends = 0, time.monotonic() + 1.5
    try:
        while time.monotonic() < ends:
            df = parquet.read(path)
            assert df["a"].to_list() == list(range(df.height))  # one version, whole
            reads += 1
    finally:
        stop.set()
        writer.join()
    assert reads > 10
    assert parquet.read(tmp_path / "missing.parquet") is None
