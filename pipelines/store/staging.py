"""Staging: where one run keeps the Parquet it analysed until the commit, and what it plans to commit.

Each run stages in its own folder (`.tables/run-<id>/`, with the owner's pid), so concurrent builds
never touch each other's files. A folder whose owner process is dead is a leftover of a killed build
and is removed by the next one; a live owner's folder is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipelines.store.lake import BucketChange

OWNER = "owner.pid"
PLAN = "plan.json"


def run_dir(staging: Path, run_id: str) -> Path:
    """The run's staging folder, made with its owner file inside before it gets its name: another
    build clearing dead runs' folders never sees it without an owner (and takes it for dead)."""
    folder = staging / f"run-{run_id}"
    if (folder / OWNER).exists():
        return folder
    tmp = staging / f".run-{run_id}.{os.getpid()}.tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / OWNER).write_text(str(os.getpid()))
    try:
        os.rename(tmp, folder)
    except OSError:  # made meanwhile by another step of the run
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(folder: Path) -> int | None:
    try:
        return int((folder / OWNER).read_text().strip())
    except (OSError, ValueError):
        return None


def clear_dead(staging: Path) -> int:
    """Remove run folders whose owner is no longer alive; returns how many were removed."""
    removed = 0
    for tmp in staging.glob(".run-*.tmp") if staging.is_dir() else []:  # a run_dir interrupted by a kill
        pid = tmp.name.rsplit(".", 2)[-2]
        if not pid.isdigit() or not pid_alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
    for folder in staging.glob("run-*") if staging.is_dir() else []:
        pid = _owner(folder)
        if pid is None or not pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def others_alive(staging: Path, mine: Path) -> bool:
    """Is another live process staging a build (so its uncommitted lake files must be left alone)?"""
    for folder in staging.glob("run-*") if staging.is_dir() else []:
        pid = _owner(folder)
        if folder != mine and pid is not None and pid != os.getpid() and pid_alive(pid):
            return True
    return False


def write_plan(folder: Path, change: BucketChange) -> None:
    plan = {"bucket": change.bucket, "gone": sorted(change.gone), "articles": change.articles,
            "files": {t: [str(f) for f in fs] for t, fs in sorted(change.files.items())}}
    path = folder / f"bucket={change.bucket}" / PLAN
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{PLAN}.tmp")
    tmp.write_text(json.dumps(plan), encoding="utf-8")
    os.replace(tmp, path)


def read_plans(folder: Path) -> list[BucketChange]:
    """The bucket changes this run staged, in bucket order."""
    out = []
    for path in sorted(folder.glob(f"bucket=*/{PLAN}")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        out.append(BucketChange(plan["bucket"], plan["gone"], {t: [Path(f) for f in fs] for t, fs in plan["files"].items()},
                                plan["articles"]))
    return out


def remove(folder: Path) -> None:
    """Drop a run's staging folder once its plans are committed."""
    shutil.rmtree(folder, ignore_errors=True)


def staged_files(folder: Path, table: str) -> list[Path]:
    """Every Parquet file staged for `table` in this run, over all buckets."""
    return sorted(folder.glob(f"bucket=*/{table}/*.parquet"))


def buckets(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("bucket=*") if p.is_dir())
