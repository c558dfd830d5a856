"""Building the DuckDB warehouse from validated Parquet in one transaction, swapped in atomically.

Readers holding a connection to the old file keep reading it until they reconnect; they never see a
half-built warehouse and never block a build. This module needs no Dagster context, so it is
unit-testable on its own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipelines import faults
from pipelines.schemas import SCHEMAS

VIEWS: dict[str, str] = {
    "quotes_with_speaker": """
        SELECT q.article_id, a.title, q.quote_id, q.quote_type, q.attribution, q.text AS quote,
               s.name AS speaker, s.source_type, s.role, q.cue
        FROM quotes q
        JOIN articles a USING (article_id)
        LEFT JOIN sources s ON s.source_id = q.source_id""",
    "sources_per_article": """
        SELECT a.article_id, a.title, count(s.source_id) AS n_sources,
               coalesce(sum(s.n_quotes), 0) AS n_quotes, coalesce(sum(s.n_claims), 0) AS n_claims
        FROM articles a LEFT JOIN sources s USING (article_id)
        GROUP BY ALL""",
    "claims_per_source": """
        SELECT s.source_id, s.article_id, s.name, s.source_type, s.role,
               count(c.claim_id) AS n_claims,
               count(c.claim_id) FILTER (WHERE c.hedged) AS n_hedged,
               count(c.claim_id) FILTER (WHERE c.claim_type = 'direct_quote') AS n_direct_quotes
        FROM sources s LEFT JOIN claims c ON c.source_id = s.source_id AND NOT c.is_display
        GROUP BY ALL""",
    "claims_with_source": """
        SELECT c.*, s.name AS source_name, s.source_type, s.role AS source_role, a.title, a.published_on
        FROM claims c
        JOIN articles a USING (article_id)
        LEFT JOIN sources s ON s.source_id = c.source_id""",
    # what was claimed about which period: each time expression inside a claim's words, with the source
    "timeline": """
        SELECT c.article_id, a.title, c.claim_id, c.claim_type, s.name AS source, s.source_type, c.text AS claim,
               t.surface AS time_expression, t.kind, t.resolved_start, t.resolved_end, t.granularity,
               t.unresolved_reason, t.anchor
        FROM claims c
        JOIN articles a USING (article_id)
        JOIN time_expressions t ON t.article_id = c.article_id
             AND t.char_start >= c.char_start AND t.char_end <= c.char_end
        LEFT JOIN sources s ON s.source_id = c.source_id
        WHERE NOT c.is_display""",
}


BUILD_INFO = "_build_info"


def built_from(target: Path) -> dict[str, str]:
    """table -> sha256 of the Parquet file each table of the warehouse at `target` was built from."""
    if not target.exists():
        return {}
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return {}
    try:
        return dict(con.execute(f"SELECT table_name, sha256 FROM {BUILD_INFO}").fetchall())
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _record(con, hashes: dict[str, str]) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {BUILD_INFO} (table_name VARCHAR, sha256 VARCHAR)")
    if hashes:
        con.executemany(f"INSERT INTO {BUILD_INFO} VALUES (?, ?)", sorted(hashes.items()))


def _clear_leftovers(target: Path) -> None:
    """Remove half-built copies left by a build that was killed (one writer at a time, so none is live)."""
    for stale in target.parent.glob(f".{target.name}.*.building*"):
        stale.unlink(missing_ok=True)


def _swap(tmp: Path, target: Path) -> Path:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    return target


def _in_one_transaction(tmp: Path, target: Path, fill) -> Path:
    """Run `fill(con)` on the database at `tmp` in one transaction, then swap `tmp` in for `target`.

    On any failure (or a kill) the half-built copy is removed and `target` is untouched."""
    con = duckdb.connect(str(tmp))
    try:
        con.execute("BEGIN TRANSACTION")
        fill(con)
        faults.crash_point("duckdb_build")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    return _swap(tmp, target)


def update(parquet_files: dict[str, Path], target: Path, hashes: dict[str, str], changed_articles: set[str],
           removed_articles: set[str]) -> Path:
    """Bring the warehouse at `target` up to date by replacing only the rows of changed articles.

    Works on a copy in one transaction and swaps it in, like `build`; tables whose Parquet did not
    change are left alone, `entities` (shared by all articles) is reloaded whole.
    """
    previous = built_from(target)
    _clear_leftovers(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    shutil.copyfile(target, tmp)

    def fill(con) -> None:
        con.execute("CREATE TEMP TABLE new_ids (article_id VARCHAR)")
        con.execute("CREATE TEMP TABLE gone_ids (article_id VARCHAR)")
        if changed_articles:
            con.executemany("INSERT INTO new_ids VALUES (?)", [(a,) for a in sorted(changed_articles)])
        if changed_articles | removed_articles:
            con.executemany("INSERT INTO gone_ids VALUES (?)", [(a,) for a in sorted(changed_articles | removed_articles)])
        for table in SCHEMAS:
            if previous.get(table) == hashes[table]:
                continue
            src = f"read_parquet('{parquet_files[table].as_posix()}')"
            key = "left(claim_id, 16)" if table == "claim_entities" else "article_id"
            if table == "claim_entities" or "article_id" in SCHEMAS[table].to_schema().columns:
                con.execute(f'DELETE FROM "{table}" WHERE {key} IN (SELECT article_id FROM gone_ids)')
                con.execute(f'INSERT INTO "{table}" SELECT * FROM {src} WHERE {key} IN (SELECT article_id FROM new_ids)')
            else:
                con.execute(f'DELETE FROM "{table}"')
                con.execute(f'INSERT INTO "{table}" SELECT * FROM {src}')
        for name, sql in VIEWS.items():  # a view added since the last full build
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
        _record(con, hashes)

    return _in_one_transaction(tmp, target, fill)


def build(parquet_files: dict[str, Path], target: Path, hashes: dict[str, str] | None = None) -> Path:
    """Create `target` from one Parquet file per contract table, atomically.

    Returns the path of the new warehouse file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")

    def fill(con) -> None:
        for table in SCHEMAS:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM read_parquet(?)', [str(parquet_files[table])])
        for name, sql in VIEWS.items():
            con.execute(f'CREATE VIEW "{name}" AS {sql}')
        _record(con, hashes or {})

    return _in_one_transaction(tmp, target, fill)
