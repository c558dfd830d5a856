"""The contract checked where chunks are made: pandera and spans per chunk; an article whose own rows break it
is left out with an ingest error, a rule broken only by the chunk as a whole stops the commit."""

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


def test_an_article_whose_rows_break_the_contract_is_left_out_and_the_rest_lands(tmp_path, seeds_dir, monkeypatch):
    (seeds_dir / "marina.txt").write_text(SAMPLE_ARTICLE.replace("harbour", "marina"), encoding="utf-8")
    analyse = batch.analyse_chunk
    broken_path = "harbour.txt"

    def broken(docs, now, analysed=None):  # an extraction bug on one article: its mentions no longer reproduce the text
        out = analyse(docs, now, analysed)
        ids = [d.article_id for d in docs if d.source_path == broken_path]
        out["mentions"] = out["mentions"].with_columns(
            pl.when(pl.col("article_id").is_in(ids)).then(pl.lit("somebody")).otherwise(pl.col("surface")).alias("surface"))
        return out

    monkeypatch.setattr(batch, "analyse_chunk", broken)  # the frames of a few articles are made in this process
    wh = tmp_path / "wh" / "claims.sqlite"
    result = materialise(seeds_dir, wh)
    assert result.success and all(e.passed for e in result.get_asset_check_evaluations())
    con = lake.connect(paths(seeds_dir, wh), read_only=True)
    try:
        paths_in = {r[0] for r in con.execute("SELECT source_path FROM articles").fetchall()}
        errors = con.execute("SELECT source_path, error, message FROM ingest_errors WHERE error = 'contract'").fetchall()
    finally:
        con.close()
    assert paths_in == {"marina.txt"}  # the other article landed
    assert [(p, e) for p, e, _ in errors] == [(broken_path, "contract")]
    assert "mentions" in errors[0][2] and "left out" in errors[0][2]


def test_a_rule_no_single_article_breaks_still_blocks_the_chunk():
    texts = [normalise(SAMPLE_ARTICLE), normalise(SAMPLE_ARTICLE.replace("harbour", "marina"))]
    docs = [Document(article_id(t), f"{k}.txt", t) for k, t in enumerate(texts)]
    analyse = batch.analyse_chunk

    def colliding(docs, now, analysed=None):  # each article's ids are unique, the chunk's are not
        out = analyse(docs, now, analysed)
        first = pl.col("mention_id").cum_count().over("article_id") == 1
        out["mentions"] = out["mentions"].with_columns(
            pl.when(first).then(pl.lit("m-same")).otherwise(pl.col("mention_id")).alias("mention_id"))
        return out

    original, batch.analyse_chunk = batch.analyse_chunk, colliding
    try:
        frames, checked = batch.analyse_and_check(docs, NOW)
    finally:
        batch.analyse_chunk = original
    assert {f["table"] for f in checked["findings"]} == {"mentions"}
    assert frames["articles"].height == 2 and frames["rejected_articles"].height == 0
