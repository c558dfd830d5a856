"""Fault injection for the crash-safety tests: `CLAIMS_CRASH_AT=<point>` kills the process there.

The process sends itself SIGKILL, as an out-of-memory kill would: no cleanup, no exception handler,
no atexit. The points are the start of every step of a build (STEPS) and the places where a kill
would hurt most (POINTS): half-way through writing a staged Parquet file, inside the lake commit
transaction, half-way through rewriting an export, and after the exports but before their
manifest. Unset, this does nothing.
"""

from __future__ import annotations

import os
import signal

POINTS = ("parquet_write", "lake_commit", "export_write", "publish")
STEPS = ("step:ingest", "step:extract", "step:checks", "step:claims_lake", "step:article_pages")


def crash_point(name: str) -> None:
    """Die here, killed by SIGKILL, if asked to."""
    if os.environ.get("CLAIMS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
