"""The commit's integrity check limited to what only the whole lake shows about the articles it
changes (their rows among themselves are checked in their partition before the commit): a key they
use twice, and rows of untouched articles pointing into them. A key shared with another article
names that article, which the partition's check finds (tests/test_validate_rules.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines import batch, validate
from pipelines.ingest.documents import Document
from pipelines.store.lake import VIEWS, stored_tables
from pipelines.text.normalise import article_id, normalise
from tests.conftest import SAMPLE_ARTICLE

OTHER = """Library opening hours extended

The county library will stay open until nine on weekdays, the council said on Monday.

“Readers asked for it, and we listened,” said librarian Sam Patel.
"""


@pytest.fixture
def two_articles(tmp_path):
    """A DuckDB connection holding two analysed articles as the lake's tables; their ids."""
    docs = [Document(article_id(t), name, t) for name, t in (("harbour.txt", normalise(SAMPLE_ARTICLE)),
                                                              ("library.txt", normalise(OTHER)))]
    frames = batch.analyse_chunk(docs, dt.datetime(2024, 5, 14))
    con = duckdb.connect()
    for table in (t for t in stored_tables() if t in frames):
        path = tmp_path / f"{table}.parquet"
        frames[table].write_parquet(path)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{path}')")
    con.execute(f"CREATE VIEW entities AS {VIEWS['entities']}")
    yield con, docs[0].article_id, docs[1].article_id
    con.close()


def problems(con, scope):
    return {(p.table, p.rule) for p in validate._problems(con, validate.scoped_rules(scope), together=True)}


def test_a_clean_change_passes_and_a_broken_row_of_an_untouched_article_is_not_read(two_articles):
    con, harbour, library = two_articles
    assert problems(con, validate.scope_of(con, [harbour])) == set()
    con.execute("UPDATE claims SET sentence_id = 'gone:0' WHERE article_id = ?", [library])
    assert problems(con, validate.scope_of(con, [harbour])) == set()  # library is not in the commit
    assert ("claims", "sentence_id found in sentences") in {(p.table, p.rule) for p in validate.snapshot_problems(con)}


def test_a_row_of_an_untouched_article_pointing_into_a_removed_one_is_found(two_articles):
    con, harbour, library = two_articles
    harbour_sentence = con.execute("SELECT min(sentence_id) FROM sentences WHERE article_id = ?", [harbour]).fetchone()[0]
    con.execute("UPDATE mentions SET sentence_id = ? WHERE article_id = ?", [harbour_sentence, library])
    scope = validate.scope_of(con, [harbour])  # read before the commit
    for table in ("sentences", "paragraphs", "mentions", "claims", "quotes", "time_expressions", "sources"):
        con.execute(f"DELETE FROM {table} WHERE article_id = ?", [harbour])  # the commit removes harbour
    con.execute("DELETE FROM claim_entities WHERE left(claim_id, 16) = ?", [harbour])
    con.execute("DELETE FROM articles WHERE article_id = ?", [harbour])
    assert ("mentions", "sentence_id found in sentences") in problems(con, scope)


def test_a_key_used_twice_among_a_changed_articles_rows_is_found(two_articles):
    con, harbour, _ = two_articles
    first, second = (r[0] for r in con.execute("SELECT claim_id FROM claims WHERE article_id = ? ORDER BY claim_id LIMIT 2",
                                               [harbour]).fetchall())
    con.execute("UPDATE claims SET claim_id = ? WHERE claim_id = ?", [first, second])
    assert problems(con, validate.scope_of(con, [harbour])) >= {("claims", "key unique")}


def test_a_mention_of_an_untouched_article_left_outside_a_changed_sentence_is_found(two_articles):
    con, harbour, library = two_articles
    sentence, end = con.execute("SELECT sentence_id, char_end FROM sentences WHERE article_id = ? ORDER BY sentence_id "
                                "LIMIT 1", [harbour]).fetchone()
    con.execute("UPDATE mentions SET sentence_id = ?, char_start = ?, char_end = ? WHERE mention_id = "
                "(SELECT min(mention_id) FROM mentions WHERE article_id = ?)", [sentence, end - 2, end, library])
    scope = validate.scope_of(con, [harbour])
    assert problems(con, scope) == set()
    con.execute("UPDATE sentences SET char_end = char_end - 5 WHERE sentence_id = ?", [sentence])  # re-analysed shorter
    assert ("mentions", "inside its sentence") in problems(con, scope)
