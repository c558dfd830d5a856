"""Ingest reads only new or changed files and rewrites only the partitions they fall in."""

from __future__ import annotations

import os

import pytest

from pipelines.ingest import incremental
from pipelines.store.lake import bucket_of
from tests.conftest import SAMPLE_ARTICLE


def article(n: int) -> str:
    return SAMPLE_ARTICLE.replace("Tuesday", f"day {n}")


@pytest.fixture
def folder(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(12):
        (seeds / f"a{n:02d}.txt").write_text(article(n), encoding="utf-8")
    return seeds, tmp_path / "staging"


def stamps(staging):
    return {p.name: p.stat().st_mtime_ns for p in (staging / incremental.DOCUMENTS_DIR).glob("*.parquet")}


def test_unchanged_files_are_not_read_and_no_partition_is_rewritten(folder):
    seeds, staging = folder
    first = incremental.ingest(seeds, staging, bucket_of)
    assert first.files_read == 12 and first.index.filter("kept").height == 12
    before = stamps(staging)
    again = incremental.ingest(seeds, staging, bucket_of)
    assert again.files_read == 0 and again.buckets_written == []
    assert stamps(staging) == before
    assert again.index.equals(first.index)


def test_a_changed_file_rewrites_only_its_partition_and_a_removed_one_leaves_it(folder):
    seeds, staging = folder
    incremental.ingest(seeds, staging, bucket_of)
    before = stamps(staging)
    changed = seeds / "a03.txt"
    changed.write_text(article(99), encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    (seeds / "a05.txt").unlink()
    found = incremental.ingest(seeds, staging, bucket_of)
    assert found.files_read == 1
    assert set(found.buckets_written) == {bucket_of("a03.txt"), bucket_of("a05.txt")}
    after = stamps(staging)
    untouched = {f"bucket={b}.parquet" for b in map(bucket_of, (f"a{n:02d}.txt" for n in range(12)))} - {
        f"bucket={b}.parquet" for b in found.buckets_written}
    assert untouched and all(after[name] == before[name] for name in untouched)
    docs = incremental.documents(staging, bucket_of("a03.txt"), ["a03.txt"])
    assert [d.source_path for d in docs] == ["a03.txt"] and "day 99" in docs[0].text
    assert "a05.txt" not in found.index["source_path"].to_list()


def test_when_the_kept_copy_of_a_text_goes_its_duplicate_is_kept_without_reading_it_again(folder):
    seeds, staging = folder
    (seeds / "z_copy.txt").write_text(article(1), encoding="utf-8")
    found = incremental.ingest(seeds, staging, bucket_of)
    assert [(e.source_path, e.error) for e in found.errors] == [("z_copy.txt", "duplicate")]
    (seeds / "a01.txt").unlink()
    found = incremental.ingest(seeds, staging, bucket_of)
    assert found.files_read == 0 and found.errors == []
    kept = found.index.filter("kept")
    assert "z_copy.txt" in kept["source_path"].to_list()
    docs = incremental.documents(staging, bucket_of("z_copy.txt"), ["z_copy.txt"])
    assert "day 1" in docs[0].text


def test_an_unreadable_file_is_an_error_every_time_and_its_neighbours_still_come_in(folder):
    seeds, staging = folder
    (seeds / "empty.txt").write_bytes(b"")
    for _ in range(2):
        found = incremental.ingest(seeds, staging, bucket_of)
        assert [(e.source_path, e.error) for e in found.errors] == [("empty.txt", "empty")]
        assert found.index.filter("kept").height == 12
