"""Cross-table rules generated from the table definitions find what breaks them in a staged partition."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines import batch, validate
from pipelines.ingest.documents import Document
from pipelines.schemas import TABLES
from pipelines.text.normalise import article_id, normalise
from tests.conftest import SAMPLE_ARTICLE


def staged(tmp_path, change=None):
    text = normalise(SAMPLE_ARTICLE)
    frames = batch.analyse_chunk([Document(article_id(text), "harbour.txt", text)], dt.datetime(2024, 5, 14))
    if change:
        frames = change(frames)
    files = {}
    for table, df in frames.items():
        path = tmp_path / table / "part-0.parquet"
        path.parent.mkdir(parents=True)
        df.write_parquet(path)
        files[table] = [path]
    return files


def test_every_key_and_foreign_key_of_the_definitions_is_a_rule():
    names = {(t, r) for t, r, _ in validate.RULES}
    for table in TABLES.values():
        for fk in table.foreign_keys:
            assert (table.name, f"{', '.join(fk.columns)} found in {fk.table}") in names
        if table.key and table.name in validate.SPAN_TABLES:
            assert (table.name, "key unique") in names


def test_a_clean_partition_breaks_no_rule(tmp_path):
    assert validate.cross_table_problems(staged(tmp_path)) == []


def test_a_dangling_foreign_key_and_a_repeated_key_are_found(tmp_path):
    def change(frames):
        claims = frames["claims"]
        frames["claims"] = claims.with_columns(
            pl.when(pl.col("source_id").is_not_null()).then(pl.lit("nobody")).otherwise(None).alias("source_id"))
        frames["mentions"] = pl.concat([frames["mentions"], frames["mentions"].head(1)])
        return frames

    problems = {(p.table, p.rule): p.count for p in validate.cross_table_problems(staged(tmp_path, change))}
    attributed = staged(tmp_path / "ok")["claims"][0]
    n = pl.read_parquet(attributed)["source_id"].is_not_null().sum()
    assert problems == {("claims", "source_id found in sources"): n, ("mentions", "key unique"): 1}


def test_a_key_that_names_another_article_is_found(tmp_path):
    def change(frames):
        frames["quotes"] = frames["quotes"].with_columns(pl.lit("0123456789abcdef:q0-1").alias("quote_id"))
        return frames

    problems = {(p.table, p.rule) for p in validate.cross_table_problems(staged(tmp_path, change))}
    assert ("quotes", "key names its article") in problems


def test_every_per_article_key_is_checked_to_name_its_article():
    names = {(t, r) for t, r, _ in validate.RULES}
    for table in TABLES.values():
        if table.key_article is not None and table.key != ("article_id",):
            assert table.key_article == table.article_key or (table.name, "key names its article") in names
