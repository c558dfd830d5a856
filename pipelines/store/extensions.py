"""Loading DuckDB extensions from their PyPI packages (nothing is downloaded at run time).

DuckDB checks an extension's signature on every LOAD by hashing the whole file (34-36 MB each:
0.13-0.20 s per extension, so 0.27-0.40 s per lake connection, which needs two; measured 2.2 of the
4.9 s of a build with nothing changed, at load 9). `connect` lets the check run on the first load
of a file; the same file, unchanged since (size, modification and change time, inode), is then
loaded without hashing it again: in later connections of that process, and in later processes,
which find the files that passed the check in a small record in the user's cache folder
(`CLAIMS_CACHE_DIR`, else `$XDG_CACHE_HOME/claims-warehouse`, else `~/.cache/claims-warehouse`;
measured: the first connection of a build's process took 0.28-0.31 s instead of 0.02 s at load
3.5). The change time cannot be set back by a user: a file written since the check, even with its
size and modification time put back, is checked again. Forging the record gains nothing without
write access to the extension files themselves, which are installed Python packages (whoever can
write them can change the code that loads them). Connections that run users' SQL are locked
(`pipelines.store.readonly`): no LOAD, no file access, settings frozen.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import duckdb

PACKAGES = {"httpfs": "duckdb_extension_httpfs", "ducklake": "duckdb_extension_ducklake",
            "sqlite_scanner": "duckdb_extension_sqlite_scanner",
            "postgres_scanner": "duckdb_extension_postgres_scanner"}
_VERIFIED: dict[str, tuple[int, ...]] = {}  # file -> its stamp when DuckDB last checked its signature (here or in the record)
RECORD = "duckdb-extensions-checked.json"


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


def _stamp(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _record() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("CLAIMS_CACHE_DIR") or Path(cache) / "claims-warehouse") / RECORD


def _recorded() -> dict[str, tuple[int, ...]]:
    """The files another process saw pass DuckDB's check, with their stamps (empty when unreadable)."""
    try:
        return {f: tuple(s) for f, s in json.loads(_record().read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _remember(stamps: dict[str, tuple[int, ...]]) -> None:
    """Add files that just passed the check to the record (written by rename; a cache, so a
    read-only home folder only costs later processes the check)."""
    path = _record()
    tmp = path.with_name(f".{RECORD}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({**_recorded(), **stamps}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def connect(*names: str) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with the extensions `names` loaded; their signatures are checked
    unless this process checked the very same files before."""
    files = {str(extension_path(n)): None for n in names}
    stamps = {f: _stamp(Path(f)) for f in files}
    if any(_VERIFIED.get(f) != s for f, s in stamps.items()):  # not checked in this process: by another?
        _VERIFIED.update({f: s for f, s in _recorded().items() if stamps.get(f) == s})
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
        _remember(stamps)
    return con


def checked_again(path: Path) -> bool:
    """Would the next `connect` loading `path` have DuckDB check its signature?"""
    return _VERIFIED.get(str(path)) != _stamp(path) and _recorded().get(str(path)) != _stamp(path)
