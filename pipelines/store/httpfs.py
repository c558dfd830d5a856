"""Loading DuckDB's httpfs extension from its PyPI package (nothing is downloaded at run time)."""

from __future__ import annotations

from pathlib import Path

from pipelines.store import extensions


def extension_path() -> Path:
    """The httpfs extension file shipped by the `duckdb-extension-httpfs` package."""
    return extensions.extension_path("httpfs")


def load_httpfs(con) -> None:
    """Make `con` able to read http(s):// URLs."""
    extensions.load(con, "httpfs")
