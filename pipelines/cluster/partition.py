"""One partition's unit of work: analyse its articles, check them, commit them to the lake at once.

Articles fall into `n` partitions by the first four hex digits of their id (ranges of equal width),
so a partition is a key range: its rows are found and replaced with a range predicate, on every
table, in one DuckLake transaction. Running a partition twice gives the same rows (a worker that
died after committing may be retried), and a worker killed before its commit leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time

import duckdb
import polars as pl

from pipelines import batch, faults
from pipelines.cluster import lakehouse
from pipelines.cluster.lakehouse import ALIAS, ENTITY_PARTS, PARTITION_COLUMN, LakeConfig
from pipelines.ingest.documents import Document
from pipelines.schemas import ENTITY_ROWS, REJECTED, SCHEMAS, SORT_KEYS

PREFIX_DIGITS = 4  # hex digits of the article id that choose its partition
PREFIX_SPACE = 16 ** PREFIX_DIGITS
COMMIT_ATTEMPTS = 8  # a commit that conflicts with another partition's is retried this often
BACKOFF_S = 0.2


def partition_of(article_id: str, n: int) -> int:
    """The partition (0..n-1) of an article."""
    return int(article_id[:PREFIX_DIGITS], 16) * n // PREFIX_SPACE


def partition_key(index: int, n: int) -> str:
    """A readable, sortable key such as '03-of-16'."""
    return f"{index:0{len(str(n - 1))}d}-of-{n}"


def key_range(key: str) -> tuple[str, str | None]:
    """The article-id range [low, high) of a partition key; high is None for the last one."""
    index, n = (int(x) for x in key.split("-of-"))
    low = -(-index * PREFIX_SPACE // n)
    high = -(-(index + 1) * PREFIX_SPACE // n)
    return f"{low:0{PREFIX_DIGITS}x}", (f"{high:0{PREFIX_DIGITS}x}" if high < PREFIX_SPACE else None)


def analyse_partition(key: str, docs: list[Document], now: dt.datetime) -> dict[str, pl.DataFrame]:
    """The validated rows of every stored table for the articles of one partition."""
    frames = batch.analyse_chunk(sorted(docs, key=lambda d: d.article_id), now)
    frames["entities"] = batch.fold_entities(frames.pop(ENTITY_ROWS))  # the same rule as the local build
    frames.pop(REJECTED)  # articles over the guard's budget: logged by the guard, not stored by this path
    out = {}
    for table, df in frames.items():
        df = df.sort(SORT_KEYS[table], nulls_last=True) if df.height else df
        SCHEMAS[table].validate(df, lazy=True)
        out[table] = df
    out[ENTITY_PARTS] = out.pop("entities").with_columns(pl.lit(key).alias(PARTITION_COLUMN))
    return out


def _where(table: str, key: str) -> str:
    if table == ENTITY_PARTS:
        return f"{PARTITION_COLUMN} = '{key}'"
    low, high = key_range(key)
    column = "claim_id" if table == "claim_entities" else "article_id"
    return f"{column} >= '{low}'" + (f" AND {column} < '{high}'" if high else "")


def commit(con: duckdb.DuckDBPyConnection, key: str, frames: dict[str, pl.DataFrame]) -> int:
    """Replace the partition's rows in every table in one transaction; returns the snapshot id."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            return _commit_once(con, key, frames)
        except duckdb.Error as exc:  # a conflict, or a catalog busy with another commit: try again
            retry = isinstance(exc, duckdb.TransactionException) or "locked" in str(exc)
            if not retry or attempt == COMMIT_ATTEMPTS:
                raise
            time.sleep(BACKOFF_S * attempt * (1 + random.random()))  # another partition committed first
    raise AssertionError("unreachable")


def _commit_once(con: duckdb.DuckDBPyConnection, key: str, frames: dict[str, pl.DataFrame]) -> int:
    con.execute("BEGIN")
    try:
        had_rows = con.execute(f"SELECT count(*) > 0 FROM {ALIAS}.{ENTITY_PARTS} WHERE {_where(ENTITY_PARTS, key)}"
                               ).fetchone()[0] or con.execute(
            f"SELECT count(*) > 0 FROM {ALIAS}.articles WHERE {_where('articles', key)}").fetchone()[0]
        for table, df in frames.items():
            if had_rows:  # deleting conflicts with concurrent writers: skip it on a first build
                con.execute(f'DELETE FROM {ALIAS}."{table}" WHERE {_where(table, key)}')
            lakehouse.insert(con, table, df)
        faults.crash_point("lake_commit")
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
            con.execute("ROLLBACK")
        raise
    return lakehouse.snapshot_id(con)


# one lake connection per worker process and lake, kept between partitions: loading the extensions
# and attaching the catalog cost more than a small partition's commit (measured 0.6-0.8 s)
_CONNECTIONS: dict[LakeConfig, duckdb.DuckDBPyConnection] = {}


def _connection(config: LakeConfig) -> duckdb.DuckDBPyConnection:
    if config not in _CONNECTIONS:
        _CONNECTIONS[config] = lakehouse.connect(config)
    return _CONNECTIONS[config]


def run_partition(key: str, docs: list[Document], config: LakeConfig, now: dt.datetime) -> dict:
    """Analyse and commit one partition; what a worker runs. Returns what it did, for the coordinator."""
    started = time.perf_counter()
    frames = analyse_partition(key, docs, now)
    analysed = time.perf_counter()
    con = _connection(config)
    try:
        snapshot = commit(con, key, frames)
    except BaseException:
        _CONNECTIONS.pop(config, None)  # start afresh next time: the connection may be what failed
        con.close()
        raise
    return {"partition": key, "articles": len(docs), "snapshot": snapshot,
            "rows": {t: df.height for t, df in frames.items()},
            "seconds_analyse": round(analysed - started, 3),
            "seconds_commit": round(time.perf_counter() - analysed, 3)}
