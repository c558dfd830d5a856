"""Fault injection for the crash-safety tests: `CLAIMS_CRASH_AT=<point>` kills the process there,
`CLAIMS_DISK_FULL_AT=<point>` makes the write there fail as on a full disk.

A kill is SIGKILL sent to itself, as an out-of-memory kill would: no cleanup, no exception handler,
no atexit. A full disk is an OSError(ENOSPC) raised where the write would be, which the code must
handle as it handles the real one. The points are the start of every step of a build (STEPS) and
the places where a fault would hurt most (POINTS): half-way through writing a staged Parquet file,
inside the lake commit transaction, half-way through writing an export, half-way through writing
the pages, after the publication is written but before it is recorded, and half-way through
mirroring the committed publication at the stable paths. Unset, this does nothing.
"""

from __future__ import annotations

import errno
import os
import signal

POINTS = ("parquet_write", "lake_commit", "export_write", "page_write", "publish", "mirror")
STEPS = ("step:ingest", "step:extract", "step:checks", "step:claims_lake", "step:article_pages")


def crash_point(name: str) -> None:
    """Die here, killed by SIGKILL, or fail as a full disk would, if asked to."""
    if os.environ.get("CLAIMS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("CLAIMS_DISK_FULL_AT") == name:
        raise OSError(errno.ENOSPC, f"No space left on device (injected at {name})")
