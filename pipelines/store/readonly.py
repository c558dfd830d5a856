"""Read-only SQL for the `query` command: no statement may write a file, attach, install or load.

Two independent locks, so that one mistake in either still leaves the other:
1. only reading statements run (SELECT, with SHOW, DESCRIBE, SUMMARIZE, FROM-first and PRAGMA
   queries, and EXPLAIN): COPY, EXPORT, ATTACH, INSTALL, LOAD, SET, CALL, CREATE and the rest are
   refused before anything executes;
2. the connection itself loses file access: `enable_external_access=false` (no COPY TO, no
   EXPORT, no ATTACH, no reading files other than the open database), `allowed_directories` limited
   to what the caller names as readable (a lakehouse's data folder, say), no extension autoloading,
   and `lock_configuration` so no statement can turn any of it back on.
Takes a connection and paths, not a file name, so it works however the warehouse is opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(?:ANALY[SZ]E\s+)?", re.IGNORECASE)
READING_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


class NotReadOnly(duckdb.PermissionException):
    """A statement that could change something, refused by the read-only query command."""


def check(sql: str) -> str:
    """`sql` itself when every statement in it only reads; NotReadOnly naming the first that does not.

    A statement that does not parse is left for DuckDB to report with its own message.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.ParserException:
        return sql
    for st in statements:
        if st.type == duckdb.StatementType.EXPLAIN:  # EXPLAIN ANALYZE runs what it explains
            check(_EXPLAIN.sub("", st.query, count=1))
        elif st.type not in READING_STATEMENTS:
            kind = st.type.name if hasattr(st.type, "name") else str(st.type)
            raise NotReadOnly(f"the query command only reads: {kind} statements are not allowed "
                              f"(`{' '.join(st.query.split())[:60]}`); use SELECT, SHOW, DESCRIBE or EXPLAIN")
    return sql


def lock(con: duckdb.DuckDBPyConnection, readable: Iterable[Path | str] = ()) -> duckdb.DuckDBPyConnection:
    """Take file access away from `con` (except reading under `readable`: folders, or URL prefixes
    such as s3://bucket/lake/) and lock its settings."""
    dirs = [(str(p) if "://" in str(p) else str(Path(p).absolute())).rstrip("/") + "/" for p in readable]
    if dirs:
        con.execute("SET allowed_directories = ?", [dirs])
    for setting in ("enable_external_access", "autoinstall_known_extensions", "autoload_known_extensions"):
        con.execute(f"SET {setting} = false")
    con.execute("SET lock_configuration = true")
    return con
