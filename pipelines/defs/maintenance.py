"""Lake maintenance as a Dagster job: compaction (`pipelines.store.compact`) on a weekly schedule.

A job of its own, not an asset: it changes no contract table's rows, only how the lake stores them
and how far back snapshots stay queryable.
"""

import dagster as dg

from pipelines.defs.resources import ClaimsStore
from pipelines.store import compact


@dg.op(description="Merge the lake's small data files, expire all but the most recent snapshots "
                   f"({compact.KEEP_SNAPSHOTS}) and delete the files nothing needs any more.")
def compact_lake_files(context: dg.OpExecutionContext, store: ClaimsStore) -> dg.Output[None]:
    report = compact.compact(store.paths)
    context.log.info(f"data files {report.files_before} -> {report.files_after}; "
                     f"{len(report.snapshots_expired)} snapshots expired, {report.files_deleted} files deleted")
    return dg.Output(None, metadata={
        "files_before": report.files_before, "files_after": report.files_after,
        "snapshots_expired": len(report.snapshots_expired), "files_deleted": report.files_deleted,
        "oldest_snapshot_kept": report.kept_from if report.kept_from is not None else -1,
    })


@dg.job(description="Compact the lake (python -m pipelines compact does the same).")
def compact_lake():
    compact_lake_files()


@dg.schedule(job=compact_lake, cron_schedule="30 4 * * 0", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Compact the lake every Sunday at 04:30, after the daily refresh.")
def weekly_compaction(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest()
