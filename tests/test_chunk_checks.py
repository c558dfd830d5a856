"""The contract checked where chunks are made: pandera and spans per chunk, and a broken chunk stops the commit."""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines import batch, chunk_checks
from pipelines.defs.run import materialise
from pipelines.ingest.documents import Document
from pipelines.settings import paths
from pipelines.store import lake
from pipelines.text.normalise import article_id, normalise
from tests.conftest import SAMPLE_ARTICLE

NOW = dt.datetime(2024, 5, 14, 9, 0)


def frames() -> dict[str, pl.DataFrame]:
    text = normalise(SAMPLE_ARTICLE)
    return batch.analyse_chunk([Document(article_id(text), "harbour.txt", text)], NOW)


def rules(result: dict) -> set[tuple[str, str]]:
    return {(f["table"], f["rule"]) for f in result["findings"]}


def test_frames_of_a_good_article_have_no_findings_and_count_every_contract_table():
    result = chunk_checks.check_frames(frames())
    assert result["findings"] == []
    assert result["rows"]["articles"] == 1 and result["rows"]["sentences"] > 3 and result["rows"]["entities"] > 0


def test_a_span_that_does_not_reproduce_the_text_is_found():
    f = frames()
    f["sentences"] = f["sentences"].with_columns(
        pl.when(pl.col("sentence_no") == 1).then(pl.col("char_end") + 1).otherwise(pl.col("char_end")).alias("char_end"))
    f["claims"] = f["claims"].with_columns(pl.lit(10_000, pl.Int32).alias("cue_end"),
                                           pl.lit(9_999, pl.Int32).alias("cue_start"))
    result = chunk_checks.check_frames(f)
    assert rules(result) == {("sentences", "text equals its span"), ("claims", "cue_start..cue_end inside the text")}
    by_table = {x["table"]: x for x in result["findings"]}
    assert by_table["sentences"]["count"] == 1 and by_table["claims"]["count"] == f["claims"].height


def test_a_value_outside_the_contract_is_found_by_the_pandera_model():
    f = frames()
    f["quotes"] = f["quotes"].with_columns(pl.lit("shouted").alias("quote_type"))
    assert {t for t, _ in rules(chunk_checks.check_frames(f))} == {"quotes"}


def test_a_broken_chunk_blocks_the_commit(tmp_path, seeds_dir, monkeypatch):
    analyse = batch.analyse_chunk

    def broken(docs, now):
        out = analyse(docs, now)
        out["mentions"] = out["mentions"].with_columns(pl.lit("somebody").alias("surface"))
        return out

    monkeypatch.setattr(batch, "analyse_chunk", broken)  # a few articles are analysed in this process
    wh = tmp_path / "wh" / "claims.sqlite"
    result = materialise(seeds_dir, wh)
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.path[-1], e.check_name) for e in failed] == [("mentions", "mentions_matches_contract")]
    assert not result.asset_materializations_for_node("claims_lake")
    con = lake.connect(paths(seeds_dir, wh), read_only=True) if lake.exists(paths(seeds_dir, wh)) else None
    if con is not None:  # the tables may exist (created empty); no row reached them
        assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
        con.close()
