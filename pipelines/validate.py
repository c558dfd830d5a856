"""Cross-table integrity rules, checked with DuckDB.

Keys are unique and foreign keys resolve (both generated from the table definitions in
`pipelines.schemas`), mentions lie inside their sentence, sentences inside their paragraph. The
rules run twice per build: over each staged partition before the commit (`cross_table_problems`,
called by the checks in `pipelines.defs.checks`), and inside the commit's transaction over the
snapshot about to be committed (`check_snapshot`, called by `pipelines.store.publication`): over
what only the whole lake shows about the articles the commit changes: their keys (a key names
its article, so it is unique in the lake when it is unique among its article's rows) and every row
whose foreign key names a key they had (`scoped_rules`), so a commit costs what it changes; over
every row after a commit that did not publish (a change made outside a build), when most articles
change, and on `python -m pipelines check`.
No Dagster here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.schemas import ENTITY_ROWS, TABLES, ForeignKey, Table
from pipelines.store.sqllist import IN_LIST, joined

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


def key_article_rule(table: Table) -> tuple[str, str, str]:
    """Rows whose key does not start with their own article's id."""
    return table.name, "key names its article", (f"SELECT * FROM {table.name} "
                                                  f"WHERE {table.key_article} IS DISTINCT FROM {table.article_key}")


def _names_article(table: Table) -> bool:
    """Does `table` need the rule (a key that is not the article id column itself)?"""
    return table.key_article is not None and table.key_article != table.article_key


def foreign_key_rule(table: Table, fk: ForeignKey) -> tuple[str, str, str]:
    """Rows whose (non-null) foreign key matches no row of the referenced table."""
    present = " AND ".join(f"x.{c} IS NOT NULL" for c in fk.columns)
    on = " AND ".join(f"x.{c} = y.{r}" for c, r in zip(fk.columns, fk.references, strict=True))
    sql = f"SELECT x.* FROM (SELECT * FROM {table.name} x WHERE {present}) x ANTI JOIN {fk.table} y ON {on}"
    return table.name, f"{', '.join(fk.columns)} found in {fk.table}", sql


# Rules no table definition states: a sentence lies inside its paragraph, a mention inside its sentence.
# (table, rule, rows joined, what breaks the rule, the join's key into another table: None when the
# join stays inside one article, else (that table, the key's SQL))
CONTAINMENT: list[tuple[str, str, str, str, tuple[str, str] | None]] = [
    ("sentences", "inside its paragraph", "sentences s JOIN paragraphs p USING (article_id, paragraph_no)",
     "s.char_start < p.char_start OR s.char_end > p.char_end", None),
    ("mentions", "inside its sentence", "mentions m JOIN sentences s USING (sentence_id)",
     "m.char_start < s.char_start OR m.char_end > s.char_end", ("sentences", "m.sentence_id")),
]
CONTAINMENT_RULES: list[tuple[str, str, str]] = [
    (table, rule, f"SELECT * FROM {rows} WHERE {broken}") for table, rule, rows, broken, _ in CONTAINMENT]

# Spans against the article text are checked where each chunk is made (`pipelines.chunk_checks`),
# in constant time per row; keys of one column are also pandera's `unique` per chunk.
RULES: list[tuple[str, str, str]] = (
    [key_rule(t) for t in TABLES.values() if t.key and t.name in SPAN_TABLES]
    + [key_article_rule(t) for t in TABLES.values() if _names_article(t)]
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


def _problems(con, rules: list[tuple] | None = None, together: bool = False) -> list[Problem]:
    """Every rule that some rows of the tables `con` names break, with a count and one example row.
    `rules`: (table, rule, sql[, parameters]), RULES by default. `together`: count every rule in one
    query (one plan, and the lake's catalog read once, not once per rule: measured on one new
    article into 10,000, the scoped check 0.133 -> 0.019 s, 0.68 -> 0.39 s for a changed article);
    only for rules over a few articles' rows, as the query holds every rule's hash tables at once
    (over every row of 10,000 articles the full refresh peaked at 797 MB instead of 372 MB)."""
    listed = [(table, rule, sql, params[0] if params else []) for table, rule, sql, *params in
              (RULES if rules is None else rules)]
    if not listed:
        return []
    if together:
        counts = con.execute(" UNION ALL ".join(f"SELECT {i} AS rule, count(*) AS n FROM ({sql})"
                                                for i, (_, _, sql, _) in enumerate(listed)),
                             [arg for *_, args in listed for arg in args]).fetchall()
    else:
        counts = [(i, con.execute(f"SELECT count(*) FROM ({sql})", args).fetchone()[0])
                  for i, (_, _, sql, args) in enumerate(listed)]
    problems = []
    for i, n in sorted(counts):
        if n:
            table, rule, sql, args = listed[i]
            row = con.execute(f"SELECT * FROM ({sql}) LIMIT 1", args).fetchone()
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


# --- the same rules limited to what a commit changes ----------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What a commit changes, read BEFORE it: the articles whose rows it drops or brings, and for
    each table a foreign key refers to, the keys those articles' rows had (rows of other articles
    pointing at them would dangle if they went)."""

    articles: tuple[str, ...]
    keys: dict[str, tuple[str, ...]]


def _referenced() -> dict[str, str]:
    """table -> the column foreign keys refer to in it (every reference is one column)."""
    out = {}
    for t in TABLES.values():
        for fk in t.foreign_keys:
            if len(fk.references) != 1:
                raise ValueError(f"{t.name}: a foreign key of several columns cannot be scoped")
            out[fk.table] = fk.references[0]
    return out


def _rows_of(table: str) -> tuple[str, str]:
    """(stored table, SQL of a row's article) of a referenced table (`entities` is a view over
    per-article entity rows)."""
    return (ENTITY_ROWS, "article_id") if table == "entities" else (table, TABLES[table].article_key)


def scope_of(con, articles: list[str]) -> Scope:
    """Read before the commit, on the lake as it is: the keys the rows of `articles` hold."""
    keys = {}
    for table, column in _referenced().items():
        stored, article = _rows_of(table)
        keys[table] = tuple(r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM {stored} WHERE {article} IN {IN_LIST}", [joined(articles)]).fetchall())
    return Scope(tuple(sorted(articles)), keys)


def scoped_rules(scope: Scope) -> list[tuple[str, str, str, list[str]]]:
    """What only the whole lake shows about a commit of the scope's articles: a key their rows use
    twice (read among their rows alone: every committed row's key was checked to name its own
    article), and rows of any article whose foreign key names a key those
    articles had (they dangle if it went, or now lie outside a changed span). Their rows among
    themselves were checked in their partition before the commit (`cross_table_problems`, a blocking
    check): a row there pointing outside its partition fails it. (table, rule, sql, parameters)."""
    out = []
    for t in TABLES.values():
        if t.key and t.name in SPAN_TABLES and scope.articles:
            # a key names its article (`Table.key_article`), so a key of a changed row used twice is
            # used twice among the rows of that article: the rest of the table is not read
            mine, ids = t.of_articles(scope.articles)
            # (that they name it was checked in their partition: `key_article_rule`)
            out.append((t.name, "key unique", f"SELECT {', '.join(t.key)} FROM {t.name} WHERE {mine} "
                                              "GROUP BY ALL HAVING count(*) > 1", ids))
        for fk in t.foreign_keys:
            if scope.keys.get(fk.table):  # keys the changed articles had: who points at them now
                table, rule, sql = foreign_key_rule(t, fk)
                out.append((table, rule, sql.replace(" x WHERE ", f" x WHERE {fk.columns[0]} IN {IN_LIST} AND ", 1),
                            [joined(scope.keys[fk.table])]))
    for table, rule, rows, broken, into in CONTAINMENT:
        if into is not None and scope.keys.get(into[0]):
            out.append((table, rule, f"SELECT * FROM {rows} WHERE ({broken}) AND {into[1]} IN {IN_LIST}",
                        [joined(scope.keys[into[0]])]))
    return out


def check_snapshot(con, scope: Scope | None = None) -> None:
    """Raise IntegrityError when the snapshot `con` reads breaks a rule: over every row, or, with a
    `scope`, over the rows of the articles a commit changes and the rows pointing into them."""
    problems = snapshot_problems(con) if scope is None else _problems(con, scoped_rules(scope), together=True)
    if problems:
        raise IntegrityError(problems)
