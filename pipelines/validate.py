"""Cross-table integrity rules, checked with DuckDB.

Keys are unique and foreign keys resolve (both generated from the table definitions in
`pipelines.schemas`), mentions lie inside their sentence, sentences inside their paragraph. The
rules run twice per build: over each staged partition before the commit (`cross_table_problems`,
called by the checks in `pipelines.defs.checks`), and over every row of the snapshot about to be
committed, inside the commit's transaction (`check_snapshot`, called by
`pipelines.store.publication`), so what is published holds as a whole, not only its new rows.
No Dagster here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.schemas import TABLES, ForeignKey, Table

SPAN_TABLES = ("paragraphs", "sentences", "claims", "quotes", "mentions", "time_expressions", "sources",
               "claim_entities")  # the tables the cross-table check reports on


@dataclass(frozen=True)
class Problem:
    table: str
    rule: str
    count: int
    example: str | None


def key_rule(table: Table) -> tuple[str, str, str]:
    cols = ", ".join(table.key)
    return table.name, "key unique", f"SELECT {cols} FROM {table.name} GROUP BY ALL HAVING count(*) > 1"


def foreign_key_rule(table: Table, fk: ForeignKey) -> tuple[str, str, str]:
    """Rows whose (non-null) foreign key matches no row of the referenced table."""
    present = " AND ".join(f"x.{c} IS NOT NULL" for c in fk.columns)
    on = " AND ".join(f"x.{c} = y.{r}" for c, r in zip(fk.columns, fk.references, strict=True))
    sql = f"SELECT x.* FROM (SELECT * FROM {table.name} x WHERE {present}) x ANTI JOIN {fk.table} y ON {on}"
    return table.name, f"{', '.join(fk.columns)} found in {fk.table}", sql


# Rules no table definition states: a sentence lies inside its paragraph, a mention inside its sentence.
CONTAINMENT_RULES: list[tuple[str, str, str]] = [
    ("sentences", "inside its paragraph", """SELECT * FROM sentences s JOIN paragraphs p USING (article_id, paragraph_no)
        WHERE s.char_start < p.char_start OR s.char_end > p.char_end"""),
    ("mentions", "inside its sentence", """SELECT * FROM mentions m JOIN sentences s USING (sentence_id)
        WHERE m.char_start < s.char_start OR m.char_end > s.char_end"""),
]

# Spans against the article text are checked where each chunk is made (`pipelines.chunk_checks`),
# in constant time per row; keys of one column are also pandera's `unique` per chunk.
RULES: list[tuple[str, str, str]] = (
    [key_rule(t) for t in TABLES.values() if t.key and t.name in SPAN_TABLES]
    + [foreign_key_rule(t, fk) for t in TABLES.values() for fk in t.foreign_keys]
    + CONTAINMENT_RULES
)


def _source(files: list[Path], table: str) -> str:
    """A SELECT over `files`, or an empty relation with the table's columns when there are none."""
    from pipelines.store.lake import columns_of

    if files:
        return "SELECT * FROM read_parquet([" + ", ".join(f"'{Path(f).as_posix()}'" for f in files) + "])"
    cols = ", ".join(f'NULL::{t} AS "{n}"' for n, t in columns_of(table))
    return f"SELECT {cols} WHERE false"


class IntegrityError(Exception):
    """The state about to be committed breaks cross-table rules: the commit is refused."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "; ".join(f"{p.table}: {p.rule} ({p.count} row(s), e.g. {p.example})" for p in problems)
        super().__init__(f"the snapshot to commit breaks {len(problems)} cross-table rule(s), so it was not "
                         f"committed and readers keep the previous one: {lines}")


def _problems(con) -> list[Problem]:
    """Every rule that some rows of the tables `con` names break, with a count and one example row."""
    problems = []
    for table, rule, sql in RULES:
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        if n:
            row = con.execute(f"SELECT * FROM ({sql}) LIMIT 1").fetchone()
            problems.append(Problem(table, rule, n, str(row)[:300]))
    return problems


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
        return _problems(con)
    finally:
        con.close()


def snapshot_problems(con) -> list[Problem]:
    """Every rule over ALL the rows of the snapshot `con` reads (the lake attached and in use; inside
    a commit's transaction, the state that commit would make): a row broken in a partition the
    build did not touch is found too, and so is a key that two partitions both use."""
    return _problems(con)


def check_snapshot(con) -> None:
    """Raise IntegrityError when the snapshot `con` reads breaks a rule."""
    problems = snapshot_problems(con)
    if problems:
        raise IntegrityError(problems)
