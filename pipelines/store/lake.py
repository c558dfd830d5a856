"""The warehouse as a DuckLake: catalog, tables, views, partitions of articles, commits and snapshots.

A local SQLite catalog (`warehouse/claims.sqlite`) and a folder of Parquet data files by default;
another catalog (`CLAIMS_CATALOG`, e.g. `postgres:dbname=claims`) or data path (`CLAIMS_DATA_PATH`,
e.g. `s3://bucket/claims/`) by configuration only. Every build is one commit, so one snapshot:
readers see the previous snapshot until the commit and never half of one; old snapshots stay
queryable. This module needs no Dagster context, so it is testable on its own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import faults
from pipelines.schemas import ARTICLE_KEY, ENTITY_ROWS, REJECTED, SCHEMAS, TABLES, duckdb_columns
from pipelines.settings import Paths, paths
from pipelines.store import remote, sqllist

ALIAS = "lake"
BUCKETS = 16  # partitions of articles, by a hash of the source path
PARTITIONS_TABLE = "_partitions"  # bucket -> extractor version and article count of its last commit
COMMIT_AUTHOR = "claims"
COMMIT_RETRIES = 5
MEMORY_LIMIT = "1GB"  # DuckDB spills beyond this: exports and checks stay flat as the corpus grows
ROW_GROUP_BYTES = "8MB"  # a Parquet row group of the lake's data files; what a writer buffers per thread


VIEWS: dict[str, str] = {
    "entities": f"""
        SELECT entity_id, min(canonical_name) AS canonical_name, min(entity_type) AS entity_type,
               min(acronym) AS acronym
        FROM {ENTITY_ROWS} GROUP BY entity_id""",
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


@functools.cache  # a build asks for every file twice (planning, ingest): 10,000 paths, 0.014 s each time
def bucket_of(source_path: str) -> str:
    """The partition key of an article: a stable hash of its path relative to the seeds folder."""
    digest = hashlib.sha256(source_path.encode("utf-8")).digest()
    return f"{int.from_bytes(digest[:4], 'big') % BUCKETS:02d}"


PARTITION_KEYS = [f"{i:02d}" for i in range(BUCKETS)]


def stored_tables() -> list[str]:
    """Tables physically in the lake: every contract table but the views, plus the entity rows."""
    return [t for t in SCHEMAS if t not in VIEWS] + [ENTITY_ROWS, REJECTED]


def columns_of(table: str) -> list[tuple[str, str]]:
    if table == ENTITY_ROWS:
        return [("article_id", "VARCHAR"), *duckdb_columns("entities")]
    if table == REJECTED:
        return [("article_id", "VARCHAR"), *duckdb_columns("ingest_errors")]
    return duckdb_columns(table)


def article_key(table: str) -> str | None:
    return "article_id" if table in (ENTITY_ROWS, REJECTED) else ARTICLE_KEY[table]


def of_articles(table: str, ids: list[str]) -> tuple[str, list[str]]:
    """SQL condition (and parameters) on the stored `table` selecting the rows of the articles `ids`."""
    return TABLES[table].of_articles(ids) if table in TABLES else sqllist.of_articles("article_id", ids)


def attach_sql(p: Paths, read_only: bool = True, snapshot: int | None = None, alias: str = ALIAS) -> str:
    """The ATTACH of the lake. A local data folder is given as the one beside the catalog, over the
    path the catalog recorded when the lake was made: a warehouse folder copied or moved elsewhere
    reads and writes its own files (the catalog's paths below the data folder are relative; its
    data folder is absolute, so a copy read the original's files, and failed once they were gone)."""
    options = ["READ_ONLY"] if read_only else ["DATA_INLINING_ROW_LIMIT 0"]
    if p.data_url is None:
        options += [f"DATA_PATH '{p.data_path}'", "OVERRIDE_DATA_PATH true"]
    elif not read_only:
        options.append(f"DATA_PATH '{p.data_path}'")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    return f"ATTACH 'ducklake:{p.catalog}' AS {alias} ({', '.join(options)})"


def exists(p: Paths) -> bool:
    """Is there a lake to read (a local catalog file, or a configured remote catalog)?"""
    return p.warehouse.exists() if p.catalog_url is None else remote.catalog_exists(p.catalog, p.data_path)


def readable_paths(p: Paths) -> list[Path | str]:
    """Where a locked reader must still read: the data files' folder, or their s3:// prefix."""
    return [p.data_path] if "://" in p.data_path else [Path(p.data_path)]


def open_warehouse(warehouse, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the lake whose local catalog file is `warehouse`."""

    return connect(paths(None, warehouse), read_only=True, snapshot=snapshot)


def connect(p: Paths, read_only: bool = True, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached (at `snapshot`, or the latest) and in use."""
    con = remote.connect(p.catalog, p.data_path)  # the extensions (and S3 secret) this catalog and data path need
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if not read_only and p.catalog_url is None:
        _create_local_catalog(p.warehouse)
    try:
        con.execute(attach_sql(p, read_only, snapshot))
    except BaseException:
        con.close()
        raise
    con.execute(f"USE {ALIAS}")
    if not read_only:
        # a writer streams: rows go to Parquet in row groups of at most ROW_GROUP_BYTES, in any order
        # (exports and pages sort explicitly); measured at 10,000 articles, inserting every table's
        # rows peaked at 228-238 MB this way against 295-469 MB keeping the insertion order
        con.execute("SET preserve_insertion_order = false")
        # nor does it keep what it read in DuckDB's cache of files (the staged Parquet it inserts,
        # the data files the check scans: each is read once per build): measured on the staged
        # 10,000-article full refresh, insert and check peaked at 235 MB instead of 287 MB (2,000
        # articles: 187 instead of 229), no slower
        con.execute("SET enable_external_file_cache = false")
        _ensure_tables(con)
    return con


# (catalog, thread) -> the build's one reader (None: not opened yet); other threads get their own
_SHARED: dict[tuple[str, int], duckdb.DuckDBPyConnection | None] = {}
_SHARED_STATE: dict[tuple[str, int], tuple[int, tuple]] = {}  # `published_state` of a shared reader, by snapshot


@contextlib.contextmanager
def shared_reader(p: Paths) -> Iterator[None]:
    """Within this block every `reading(p)` gets the same read-only connection, opened on first
    use and closed at the end, instead of a connection of its own: a build of one new article
    opened six (each loads two extensions, attaches the catalog and reads its metadata: 0.05-0.15 s).
    Each query on it reads the lake's latest snapshot when it runs (measured with a SQLite catalog
    in WAL mode, tables and columns another connection added included), so it sees the build's own
    commit. A build run in this process (`defs.run.materialise`: the CLI, the tests, the benchmark)
    opens the block around its planning and its run; a run the daemon launches does not (a resource
    that opened it would be a generator resource, which sensors cannot be given outside a context
    manager), so its reads open their own. Shared within the thread that opened the block only (a
    build's steps run one at a time in one thread, `in_process_executor`; a DuckDB connection is
    not for concurrent use)."""
    key = (p.catalog, threading.get_ident())
    if key in _SHARED:  # nested: the outer block owns it
        yield
        return
    _SHARED[key] = None
    try:
        yield
    finally:
        _SHARED_STATE.pop(key, None)
        con = _SHARED.pop(key, None)
        if con is not None:
            con.close()


@contextlib.contextmanager
def reading(p: Paths) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the latest snapshot: the shared one inside `shared_reader`, else
    one of its own, closed after the block."""
    key = (p.catalog, threading.get_ident())
    if key in _SHARED:
        if _SHARED[key] is None:
            _SHARED[key] = connect(p, read_only=True)
            _SHARED[key].execute("SET enable_external_file_cache = false")  # kept for a build: hold no file data
        yield _SHARED[key]
        return
    con = connect(p, read_only=True)
    try:
        yield con
    finally:
        con.close()


def _create_local_catalog(path: Path) -> None:
    """A new SQLite catalog in WAL mode: readers (even one holding a transaction open) never block
    the commit, and the commit never blocks them. The mode is stored in the file."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def _ensure_tables(con) -> None:
    """Create the tables a new lake lacks and add the columns a newer contract has, all in one
    snapshot; views are (re)made by each build's commit."""
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]).fetchall()}
    cols = {(r[0], r[1]) for r in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ?", [ALIAS]).fetchall()}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE database_name = ?", [ALIAS]).fetchall()}
    statements = []
    for table in stored_tables():
        if table not in have:
            defs = ", ".join(f'"{n}" {t}' for n, t in columns_of(table))
            statements.append(f'CREATE TABLE "{table}" ({defs})')
        else:  # a column added to the contract since the lake was made: older rows hold NULL
            statements += [f'ALTER TABLE "{table}" ADD COLUMN "{n}" {t}' for n, t in columns_of(table) if (table, n) not in cols]
    if PARTITIONS_TABLE not in have:
        statements.append(f"CREATE TABLE {PARTITIONS_TABLE} (bucket VARCHAR, extractor_version VARCHAR, articles INTEGER)")
    options = dict(con.execute(f"SELECT option_name, value FROM ducklake_options('{ALIAS}')").fetchall())
    if options.get("parquet_row_group_size_bytes") is None:  # once per lake: the option is stored in its catalog
        con.execute(f"CALL {ALIAS}.set_option('parquet_row_group_size_bytes', '{ROW_GROUP_BYTES}')")
    if not statements and set(VIEWS) <= views:
        return
    con.execute("BEGIN TRANSACTION")
    for sql in statements:
        con.execute(sql)
    create_views(con)
    con.execute(f"CALL {ALIAS}.set_commit_message('{COMMIT_AUTHOR}', 'create or extend tables')")
    con.execute("COMMIT")


def create_views(con) -> None:
    """(Re)create every view, inside the caller's transaction: a view always matches its snapshot's code."""
    for name, sql in VIEWS.items():
        con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')


def published_articles(con) -> dict[str, set[tuple[str, str]]]:
    """bucket -> {(article_id, source_path)} of the articles in the lake now."""
    out: dict[str, set[tuple[str, str]]] = {k: set() for k in PARTITION_KEYS}
    known = f"SELECT article_id, source_path FROM articles UNION ALL SELECT article_id, source_path FROM {REJECTED}"
    for aid, path in con.execute(known).fetchall():
        out[bucket_of(path)].add((aid, path))
    return out


def published_state(p: Paths) -> tuple[dict[str, set[tuple[str, str]]], dict[str, str]]:
    """(`published_articles`, `partition_versions`) of the lake's latest snapshot. Inside
    `shared_reader` they are kept for that snapshot: a build's planning and its extract step both
    ask (0.03 s each at 10,000 articles)."""
    key = (p.catalog, threading.get_ident())
    with reading(p) as con:
        snapshot = current_snapshot(con)
        kept = _SHARED_STATE.get(key)
        if kept is not None and kept[0] == snapshot:
            return kept[1]
        state = published_articles(con), partition_versions(con)
        if key in _SHARED:
            _SHARED_STATE[key] = (snapshot, state)
        return state


def partition_versions(con) -> dict[str, str]:
    """bucket -> the extractor version its rows were made by (buckets never committed are absent)."""
    return dict(con.execute(f"SELECT bucket, extractor_version FROM {PARTITIONS_TABLE}").fetchall())


@dataclass
class BucketChange:
    """What a commit does to one partition: drop the rows of `gone` articles, add the staged files."""

    bucket: str
    gone: list[str] = field(default_factory=list)
    files: dict[str, list[Path]] = field(default_factory=dict)  # table -> staged Parquet files
    articles: int = 0  # articles in the bucket after the commit


def commit(con, changes: Iterable[BucketChange], ingest_errors: Path | None, extractor_version: str,
           note: dict | None = None, before_commit: Callable[[duckdb.DuckDBPyConnection], dict] | None = None,
           force: bool = False) -> int | None:
    """Apply every change in one transaction: one new snapshot, or None when there was nothing to do
    (unless `force`). `before_commit(con)` runs last inside the transaction (what must change with
    this snapshot: the publication) and returns what the commit message should note.

    A conflict with a concurrent commit is retried: the lake serialises writers, no lock is held.
    """
    changes = list(changes)
    if not changes and ingest_errors is None and not force:
        return None
    info = {"extractor_version": extractor_version, "buckets": sorted(c.bucket for c in changes), **(note or {})}
    for attempt in range(COMMIT_RETRIES):
        try:
            con.execute("BEGIN TRANSACTION")
            _apply(con, changes, extractor_version)
            create_views(con)
            if ingest_errors is not None:  # the readable inputs' errors, then the articles over budget
                con.execute("DELETE FROM ingest_errors")
                con.execute("INSERT INTO ingest_errors SELECT * FROM read_parquet(?)", [str(ingest_errors)])
                con.execute(f"INSERT INTO ingest_errors SELECT source_path, error, message, seen_at FROM {REJECTED}")
            extra = {**info, **(before_commit(con) if before_commit else {})}
            con.execute(f"CALL {ALIAS}.set_commit_message(?, 'build', extra_info => ?)",
                        [COMMIT_AUTHOR, json.dumps(extra, sort_keys=True)])
            faults.crash_point("lake_commit")
            con.execute("COMMIT")
            return current_snapshot(con)
        except duckdb.TransactionException:
            _rollback(con)
            if attempt == COMMIT_RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
        except BaseException:
            _rollback(con)
            raise
    return None


def _rollback(con) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction open any more
        con.execute("ROLLBACK")


def staged_ids(con, change: BucketChange) -> set[str]:
    """Ids of the articles whose rows the change brings (analysed, or left out by the budget)."""
    files = [str(f) for t in ("articles", REJECTED) for f in change.files.get(t, [])]
    return {r[0] for r in con.execute(f"SELECT DISTINCT article_id FROM read_parquet({sqllist.files_sql(files)})").fetchall()} if files else set()


def held(con, ids: Iterable[str]) -> set[str]:
    """Those of the articles `ids` the lake (as `con` sees it) has rows of: every article with rows is
    in `articles` or among the articles left out (`REJECTED`). A new article has none to delete,
    no keys for other rows to point at, no people and no entities yet."""
    ids = sorted(ids)
    if not ids:
        return set()
    return {r[0] for r in con.execute(f"SELECT article_id FROM articles WHERE article_id IN {sqllist.IN_LIST} UNION "
                                      f"SELECT article_id FROM {REJECTED} WHERE article_id IN {sqllist.IN_LIST}",
                                      [sqllist.joined(ids)] * 2).fetchall()}


def _apply(con, changes: list[BucketChange], extractor_version: str) -> None:
    """Replace the rows of the changes' articles, every partition at once: idempotent, so a commit
    retried after a concurrent build committed the same articles does not hold them twice. Every
    delete comes first (an article whose file moved to another partition is deleted before it is
    inserted again), then one INSERT per table over every partition's staged files: one data file
    per table and build, not one per partition (16 times fewer small files and object-store PUTs)."""
    ids = sorted(set().union(*(set(change.gone) | staged_ids(con, change) for change in changes)))
    if held(con, ids):  # a new article has no rows to delete (13 statements of ~5 ms at 10,000 articles)
        for table in stored_tables():
            if article_key(table):
                where, params = of_articles(table, ids)
                con.execute(f'DELETE FROM "{table}" WHERE {where}', params)
    staged: dict[str, list[str]] = {}
    for change in changes:
        for table, files in change.files.items():
            staged.setdefault(table, []).extend(str(f) for f in files)
    for table, files in staged.items():
        if files:
            cols = ", ".join(f'"{n}"' for n, _ in columns_of(table))
            con.execute(f'INSERT INTO "{table}" SELECT {cols} FROM read_parquet({sqllist.files_sql(files)})')
    if changes:
        buckets = [change.bucket for change in changes]
        con.execute(f"DELETE FROM {PARTITIONS_TABLE} WHERE bucket IN (SELECT unnest(?::VARCHAR[]))", [buckets])
        con.execute(f"INSERT INTO {PARTITIONS_TABLE} SELECT unnest(?::VARCHAR[]), ?, unnest(?::INTEGER[])",
                    [buckets, extractor_version, [change.articles for change in changes]])


def frame(con, sql: str, params: list | None = None):
    """A small query result as a polars frame (no pyarrow needed)."""
    import polars as pl

    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return pl.DataFrame(cur.fetchall(), schema=names, orient="row")


def current_snapshot(con) -> int:
    return con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchone()[0]


def snapshots(con) -> list[dict]:
    """Every snapshot: id, time, message and what the build recorded (extractor version, buckets)."""
    rows = con.execute(f"SELECT snapshot_id, snapshot_time, changes, commit_message, commit_extra_info "
                       f"FROM {ALIAS}.snapshots() ORDER BY snapshot_id").fetchall()
    out = []
    for sid, at, changes, message, extra in rows:
        try:
            info = json.loads(extra) if extra else {}
        except ValueError:
            info = {}
        out.append({"snapshot_id": sid, "time": at, "message": message, "changes": changes, **info})
    return out


def changed_tables(con, since: int | None, until: int) -> set[str]:
    """Tables (views included, by what they are made of) whose rows changed after snapshot `since`."""
    if since is None or since > until:
        return set(SCHEMAS)
    touched: set[str] = set()
    for table in stored_tables() if since < until else []:
        n = con.execute("SELECT count(*) FROM ducklake_table_changes(?, 'main', ?, ?, ?)",
                        [ALIAS, table, since + 1, until]).fetchone()[0]
        if n:
            touched.add(table)
    if ENTITY_ROWS in touched:
        touched.add("entities")
    return {t for t in touched if t in SCHEMAS}


def cleanup_orphans(con) -> None:
    """Delete data files no snapshot refers to (left by killed builds). Call only with no other writer live."""
    con.execute(f"CALL ducklake_delete_orphaned_files('{ALIAS}', cleanup_all => true)")
