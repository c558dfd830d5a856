"""Loading DuckDB extensions from their PyPI packages (nothing is downloaded at run time).

DuckDB checks an extension's signature on every LOAD by hashing the whole file (34-36 MB each:
0.13-0.20 s per extension, so 0.27-0.40 s per lake connection, which needs two; measured 2.2 of the
4.9 s of a build with nothing changed, at load 9). `connect` lets the check run on the first load
of a file in a process; the same file, unchanged since (size and modification time), is then loaded
in later connections of that process without hashing it again. Connections that run users' SQL
are locked (`pipelines.store.readonly`): no LOAD, no file access, settings frozen.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb

PACKAGES = {"httpfs": "duckdb_extension_httpfs", "ducklake": "duckdb_extension_ducklake",
            "sqlite_scanner": "duckdb_extension_sqlite_scanner",
            "postgres_scanner": "duckdb_extension_postgres_scanner"}
_VERIFIED: dict[str, tuple[int, int]] = {}  # file -> (size, mtime_ns) when DuckDB last checked its signature here


def extension_path(name: str) -> Path:
    """The `<name>.duckdb_extension` file shipped by its `duckdb-extension-*` package."""
    package = importlib.import_module(PACKAGES[name])
    found = sorted(Path(package.__file__).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"{PACKAGES[name]} is installed but holds no {name}.duckdb_extension file")
    return found[-1]


def load(con, *names: str) -> None:
    """Make the extensions `names` available on `con` (signatures checked by DuckDB)."""
    for name in names:
        con.execute(f"LOAD '{extension_path(name)}'")


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def connect(*names: str) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with the extensions `names` loaded; their signatures are checked
    unless this process checked the very same files before."""
    files = {str(extension_path(n)): None for n in names}
    stamps = {f: _stamp(Path(f)) for f in files}
    verified = bool(files) and all(_VERIFIED.get(f) == s for f, s in stamps.items())
    con = duckdb.connect(config={"allow_unsigned_extensions": True} if verified else {})
    try:
        con.execute("SET autoinstall_known_extensions = false")
        for f in files:
            con.execute(f"LOAD '{f}'")
    except BaseException:
        con.close()
        raise
    if not verified:
        _VERIFIED.update(stamps)
    return con


def checked_again(path: Path) -> bool:
    """Would the next `connect` loading `path` have DuckDB check its signature?"""
    return _VERIFIED.get(str(path)) != _stamp(path)
