"""Loading DuckDB's httpfs extension from its PyPI package (nothing is downloaded at run time)."""

from __future__ import annotations

from pathlib import Path


def extension_path() -> Path:
    """The httpfs extension file shipped by the `duckdb-extension-httpfs` package."""
    import duckdb_extension_httpfs

    found = sorted(Path(duckdb_extension_httpfs.__file__).parent.glob("extensions/*/httpfs.duckdb_extension"))
    if not found:
        raise RuntimeError("duckdb-extension-httpfs is installed but holds no httpfs.duckdb_extension file")
    return found[-1]


def load_httpfs(con) -> None:
    """Make `con` able to read http(s):// URLs."""
    con.execute(f"LOAD '{extension_path()}'")
