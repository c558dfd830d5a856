"""The daily schedule and the seeds-folder sensor; both start one run over every asset."""


import hashlib
import os

import dagster as dg

from pipelines.defs.resources import ClaimsStore
from pipelines.ingest.read import seed_files

all_assets_job = dg.define_asset_job("materialise_all", selection=dg.AssetSelection.all(),
                                     tags={"claims/writes_warehouse": "true"})

daily_refresh = dg.ScheduleDefinition(name="daily_refresh", job=all_assets_job, cron_schedule="0 3 * * *",
                                      description="Rebuild every asset from the seeds folder at 03:00 each day.",
                                      default_status=dg.DefaultScheduleStatus.RUNNING)


def seeds_fingerprint(store: ClaimsStore) -> str:
    """A hash of every seed file's path, size and modification time: changes when any file does."""
    root = store.paths.seeds
    h = hashlib.sha256()
    if root.is_dir():
        for path in seed_files(root):
            try:
                st = os.lstat(path)
            except OSError:
                continue
            h.update(f"{path.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


@dg.sensor(job=all_assets_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Start a run within 30 s of a file being added, changed or removed under the seeds folder.")
def seeds_changed(context: dg.SensorEvaluationContext, store: ClaimsStore):
    """Start a run when a file in the seeds folder is added, changed or removed."""
    fingerprint = seeds_fingerprint(store)
    if fingerprint == context.cursor:
        return dg.SkipReason("seeds folder unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
