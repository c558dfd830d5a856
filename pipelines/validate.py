"""Cross-table integrity rules, checked with DuckDB over Parquet files.

Spans reproduce `articles.text[start:end]`, mentions lie inside their sentence, sentences inside
their paragraph, foreign keys resolve, keys are unique. No Dagster here: the checks in
`pipelines.defs.checks` call `cross_table_problems`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

SPAN_TABLES = ("paragraphs", "sentences", "claims", "quotes", "mentions", "time_expressions", "sources",
               "claim_entities")


@dataclass(frozen=True)
class Problem:
    table: str
    rule: str
    count: int
    example: str | None


def _span_rule(table: str, text_col: str | None) -> str:
    where = ["t.char_end > length(a.text)", "t.char_start >= t.char_end"]
    if text_col:
        where.append(f"substr(a.text, t.char_start + 1, t.char_end - t.char_start) <> t.{text_col}")
    return f"SELECT * FROM {table} t JOIN articles a USING (article_id) WHERE " + " OR ".join(where)


RULES: list[tuple[str, str, str]] = [
    ("paragraphs", "span inside the text", _span_rule("paragraphs", None)),
    ("sentences", "text equals its span", _span_rule("sentences", "text")),
    ("sentences", "inside its paragraph", """SELECT * FROM sentences s JOIN paragraphs p USING (article_id, paragraph_no)
        WHERE s.char_start < p.char_start OR s.char_end > p.char_end"""),
    ("claims", "text equals its span", _span_rule("claims", "text")),
    ("claims", "source and cue spans inside the text", """SELECT * FROM claims c JOIN articles a USING (article_id)
        WHERE c.source_end > length(a.text) OR c.cue_end > length(a.text) OR c.source_start >= c.source_end
        OR c.cue_start >= c.cue_end"""),
    ("claims", "sentence exists", "SELECT * FROM claims c ANTI JOIN sentences s USING (sentence_id)"),
    ("claims", "source exists", """SELECT * FROM claims c WHERE source_id IS NOT NULL
        AND source_id NOT IN (SELECT source_id FROM sources)"""),
    ("quotes", "text equals its span", _span_rule("quotes", "text")),
    ("quotes", "claim exists", "SELECT * FROM quotes WHERE claim_id IS NOT NULL AND claim_id NOT IN (SELECT claim_id FROM claims)"),
    ("quotes", "source exists", "SELECT * FROM quotes WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM sources)"),
    ("mentions", "surface equals its span", _span_rule("mentions", "surface")),
    ("mentions", "inside its sentence", """SELECT * FROM mentions m JOIN sentences s USING (sentence_id)
        WHERE m.char_start < s.char_start OR m.char_end > s.char_end"""),
    ("mentions", "entity exists", "SELECT * FROM mentions m ANTI JOIN entities e USING (entity_id)"),
    ("time_expressions", "surface equals its span", _span_rule("time_expressions", "surface")),
    ("time_expressions", "sentence exists", "SELECT * FROM time_expressions t ANTI JOIN sentences s USING (sentence_id)"),
    ("sources", "entity exists", "SELECT * FROM sources WHERE entity_id IS NOT NULL AND entity_id NOT IN (SELECT entity_id FROM entities)"),
    ("sources", "article exists", "SELECT * FROM sources s ANTI JOIN articles a USING (article_id)"),
    ("claim_entities", "claim exists", "SELECT * FROM claim_entities ce ANTI JOIN claims c USING (claim_id)"),
    ("claim_entities", "entity exists", "SELECT * FROM claim_entities ce ANTI JOIN entities e USING (entity_id)"),
    ("paragraphs", "article exists", "SELECT * FROM paragraphs p ANTI JOIN articles a USING (article_id)"),
    ("paragraphs", "key unique", "SELECT article_id, paragraph_no FROM paragraphs GROUP BY ALL HAVING count(*) > 1"),
    ("mentions", "key unique", "SELECT mention_id FROM mentions GROUP BY ALL HAVING count(*) > 1"),
    ("claim_entities", "key unique", "SELECT claim_id, entity_id, role FROM claim_entities GROUP BY ALL HAVING count(*) > 1"),
]


def _source(files: list[Path], table: str) -> str:
    """A SELECT over `files`, or an empty relation with the table's columns when there are none."""
    from pipelines.store.lake import columns_of

    if files:
        return "SELECT * FROM read_parquet([" + ", ".join(f"'{Path(f).as_posix()}'" for f in files) + "])"
    cols = ", ".join(f'NULL::{t} AS "{n}"' for n, t in columns_of(table))
    return f"SELECT {cols} WHERE false"


def cross_table_problems(parquet_files: dict[str, list[Path]]) -> list[Problem]:
    """Every rule that some rows break, with a count and one example row.

    `parquet_files` holds the staged files of one partition (each table's rows of the same set of
    articles, entities as per-article entity rows): every rule holds within a partition.
    """
    from pipelines.store.lake import VIEWS, stored_tables

    con = duckdb.connect()
    try:
        for table in stored_tables():
            con.execute(f"CREATE VIEW {table} AS {_source(parquet_files.get(table, []), table)}")
        con.execute(f"CREATE VIEW entities AS {VIEWS['entities']}")
        problems = []
        for table, rule, sql in RULES:
            n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            if n:
                row = con.execute(f"SELECT * FROM ({sql}) LIMIT 1").fetchone()
                problems.append(Problem(table, rule, n, str(row)[:300]))
        return problems
    finally:
        con.close()
