"""Loading DuckDB extensions from their PyPI packages (nothing is downloaded at run time)."""

from __future__ import annotations

import importlib
from pathlib import Path

PACKAGES = {"httpfs": "duckdb_extension_httpfs", "ducklake": "duckdb_extension_ducklake",
            "sqlite_scanner": "duckdb_extension_sqlite_scanner",
            "postgres_scanner": "duckdb_extension_postgres_scanner"}


def extension_path(name: str) -> Path:
    """The `<name>.duckdb_extension` file shipped by its `duckdb-extension-*` package."""
    package = importlib.import_module(PACKAGES[name])
    found = sorted(Path(package.__file__).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"{PACKAGES[name]} is installed but holds no {name}.duckdb_extension file")
    return found[-1]


def load(con, *names: str) -> None:
    """Make the extensions `names` available on `con`."""
    for name in names:
        con.execute(f"LOAD '{extension_path(name)}'")
