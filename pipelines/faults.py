"""Fault injection for the crash-safety tests: `CLAIMS_CRASH_AT=<point>` kills the process there.

The points are where a real crash would hurt most: half-way through writing a Parquet file, inside
the DuckDB build transaction, and just before exports are swapped in. Unset, this does nothing.
"""

from __future__ import annotations

import os

POINTS = ("parquet_write", "duckdb_build", "publish")


def crash_point(name: str) -> None:
    """Die here, as a killed process would (no cleanup, no exception handlers), if asked to."""
    if os.environ.get("CLAIMS_CRASH_AT") == name:
        os._exit(137)
