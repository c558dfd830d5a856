"""Compaction of the lake: fewer, larger data files, old snapshots expired, their files deleted.

Every build commits one snapshot and adds a data file per changed table (plus delete files for
changed articles), so small files pile up and every snapshot keeps its files alive. `compact`
runs DuckLake's own maintenance, in this order (3 first):

1. `ducklake_merge_adjacent_files`: small data files of a table merged into larger ones (the rows
   keep the snapshot they were added in, so time travel to a kept snapshot still works);
2. `ducklake_expire_snapshots`: every snapshot older than the KEEP_SNAPSHOTS most recent builds is
   expired, so those stay citable (`query --as-of N`) and the older ones are no longer queryable
   (the merge of step 1 is a snapshot of its own, with the same rows as the build before it);
3. first of all, `ducklake_cleanup_old_files`: the files that only expired snapshots or merged-away
   files used are deleted when every one of them was scheduled for deletion more than READ_GRACE_S
   ago (a reader that started on them before has finished): the files a compaction frees are
   deleted by the next one.

Compaction is a writer like a build: its commits are serialised by the lake and retried on a
conflict, and it registers in the staging folder like a live build, so a build running at the same
time does not take the merged files it is writing for orphans. Run by `python -m pipelines compact`
and by the Dagster job `compact_lake` (weekly schedule). No Dagster here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb

from pipelines.settings import Paths
from pipelines.store import lake, staging

KEEP_SNAPSHOTS = 30  # the last 30 builds (a month of daily builds) stay citable
READ_GRACE_S = 300  # a reader that opened a snapshot's files reads them within seconds: 5 minutes is ample
RETRIES = 5


@dataclass(frozen=True)
class Report:
    files_before: int
    files_after: int
    snapshots_expired: list[int]
    files_deleted: int
    kept_from: int | None  # the oldest snapshot still queryable


def data_files(con) -> int:
    """Data and delete files the current snapshot reads."""
    n = con.execute(f"SELECT count(*) FROM __ducklake_metadata_{lake.ALIAS}.ducklake_data_file "
                    "WHERE end_snapshot IS NULL").fetchone()[0]
    return int(n)


def to_expire(con, keep: int) -> list[int]:
    """Snapshot ids older than the `keep` most recent builds (snapshots that published; those of
    table creation and of compaction itself are not counted, and the ones after the oldest build
    kept are kept too)."""
    snaps = lake.snapshots(con)
    builds = [s["snapshot_id"] for s in snaps if s.get("publication")]
    if keep < 1 or len(builds) <= keep:
        return []
    oldest = builds[-keep]
    return [s["snapshot_id"] for s in snaps if s["snapshot_id"] < oldest]


def _all_scheduled_before(con, grace_s: float) -> bool:
    """Were all files scheduled for deletion scheduled more than `grace_s` seconds ago? (Measured:
    `ducklake_cleanup_old_files(older_than => ...)` deleted files scheduled a second earlier with a
    SQLite catalog, so the grace is judged here and the files are deleted all at once.)"""
    recent = con.execute(f"SELECT count(*) FROM __ducklake_metadata_{lake.ALIAS}.ducklake_files_scheduled_for_deletion "
                         "WHERE schedule_start::TIMESTAMPTZ > now() - to_seconds(?)", [float(grace_s)]).fetchone()[0]
    return recent == 0


def _call(con, sql: str, params: list | None = None) -> list[tuple]:
    """A maintenance call that commits; a conflict with a concurrent build is retried."""
    for attempt in range(RETRIES):
        try:
            return con.execute(sql, params or []).fetchall()
        except duckdb.TransactionException:
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    return []


def compact(p: Paths, keep: int = KEEP_SNAPSHOTS, grace_s: float = READ_GRACE_S) -> Report:
    """Merge small files, expire all but the `keep` most recent snapshots, delete the files no kept
    snapshot needs that were scheduled more than `grace_s` seconds ago."""
    if keep < 1:
        raise ValueError("keep at least the current snapshot")
    folder = staging.run_dir(p.staging, f"compact-{time.time_ns()}")  # builds see a live writer: no orphan sweep
    con = lake.connect(p, read_only=False)
    try:
        before = data_files(con)
        deleted = _call(con, f"CALL ducklake_cleanup_old_files('{lake.ALIAS}', cleanup_all => true)") \
            if _all_scheduled_before(con, grace_s) else []
        _call(con, f"CALL ducklake_merge_adjacent_files('{lake.ALIAS}')")
        expired = to_expire(con, keep)
        if expired:
            _call(con, f"CALL ducklake_expire_snapshots('{lake.ALIAS}', versions => ?::BIGINT[])", [expired])
        kept = [s["snapshot_id"] for s in lake.snapshots(con)]
        return Report(before, data_files(con), expired, len(deleted), kept[0] if kept else None)
    finally:
        con.close()
        staging.remove(folder)
