"""The runs: the daily schedule (every partition) and the seeds-folder sensor (changed partitions only).

What counts as changed is decided in `pipelines.defs.changes`; a full refresh is one run over every
partition (a single-run backfill).
"""


import hashlib

import dagster as dg

from pipelines.defs.assets import PARTITIONS, RANGE_END, RANGE_START
from pipelines.defs.changes import changed_partitions, file_stamps, fingerprint
from pipelines.defs.resources import ClaimsStore
from pipelines.store import lake

WRITES_TAG = "claims/writes_warehouse"
# A tick that finds nothing costs a walk of the seeds folder (~0.1 s at 10,000 files). The interval asked
# for is 2 s, but Dagster's sensor daemon (1.13) goes round its sensors at most every 5 s
# (dagster._daemon.sensor.MIN_INTERVAL_LOOP_TIME, not configurable): a dropped file waits 2.5 s on
# average and at most 5 s for its tick. 2 s keeps that floor the only one.
SENSOR_INTERVAL_S = 2

all_assets_job = dg.define_asset_job("materialise_all", selection=dg.AssetSelection.all(), tags={WRITES_TAG: "true"},
                                     partitions_def=PARTITIONS)



@dg.schedule(job=all_assets_job, cron_schedule="0 3 * * *", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Every partition from the seeds folder at 03:00 each day, in one run.")
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every partition once a day, in one run (unchanged articles cost a comparison, not an analysis)."""
    return dg.RunRequest(tags={**partition_tags(lake.PARTITION_KEYS), WRITES_TAG: "true"})


def partition_tags(keys: list[str]) -> dict[str, str]:
    """Run tags asking for the partitions from the first to the last of `keys` in one run."""
    return {RANGE_START: keys[0], RANGE_END: keys[-1]} if keys else {}


@dg.sensor(job=all_assets_job, minimum_interval_seconds=SENSOR_INTERVAL_S, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Start a run over the partitions whose files were added, changed or removed under the seeds "
                       "folder, within seconds.")
def seeds_changed(context: dg.SensorEvaluationContext, store: ClaimsStore):
    """Start a run over the changed partitions when a file in the seeds folder is added, changed or removed.

    The cursor keeps the folder's fingerprint from the last evaluation that found nothing to do: while
    it stays the same, a tick costs a walk of the folder (no catalog query)."""
    stamps = file_stamps(store.paths.seeds)
    seen = fingerprint(store.paths, stamps)
    if context.cursor == seen:
        return dg.SkipReason("seeds folder unchanged since the last check")
    keys = changed_partitions(store.paths, stamps)
    if not keys:
        return dg.SensorResult(skip_reason=dg.SkipReason("seeds folder unchanged"), cursor=seen)
    h = hashlib.sha256(repr(sorted((k, v) for k, v in stamps.items() if lake.bucket_of(k) in keys)).encode())
    h.update(",".join(keys).encode())
    return dg.RunRequest(run_key=h.hexdigest()[:16], tags={**partition_tags(keys), WRITES_TAG: "true"})
