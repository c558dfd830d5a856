"""Publishing one snapshot of the lake as downloadable exports: a Parquet file per table,
`manifest.json` (naming the snapshot), `datapackage.json` and the dataset zip.

The lake is the source of truth; the exports are derived from it. A table's file is written again
only when the table changed since the snapshot the manifest names, or when the file on disk no
longer matches the manifest's sha256 (a damaged file is rebuilt from the lake, never re-blessed).
Each file is replaced atomically and the manifest is written last, so the manifest never names a
file that is not there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from pipelines import faults
from pipelines.docs import dictionary
from pipelines.schemas import SCHEMAS, SORT_KEYS
from pipelines.store import bundle, datapackage, lake

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(exports: Path) -> dict | None:
    try:
        manifest = json.loads((exports / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "tables" in manifest else None


def damaged(exports: Path, manifest: dict | None) -> set[str]:
    """Tables whose published file is missing or differs from what the manifest says it is."""
    entries = {e.get("table"): e for e in (manifest or {}).get("tables", [])}
    bad = set()
    for table in SCHEMAS:
        entry, path = entries.get(table), exports / f"{table}.parquet"
        if not entry or not path.is_file() or path.stat().st_size != entry.get("bytes") \
                or sha256_of(path) != entry.get("sha256"):
            bad.add(table)
    return bad


def _write_table(con, table: str, path: Path) -> None:
    """Write `table` as it is in the attached snapshot, in its sort order (same rows, same bytes)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    order = ", ".join(f'"{c}" NULLS LAST' for c in SORT_KEYS[table])
    con.execute(f"COPY (SELECT * FROM \"{table}\" ORDER BY {order}) TO '{tmp.as_posix()}' "
                "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
    faults.crash_point("export_write")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _entry(con, table: str, path: Path) -> dict:
    cols = con.execute(f"DESCRIBE SELECT * FROM \"{table}\"").fetchall()
    return {
        "table": table,
        "file": f"{table}.parquet",
        "rows": con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        "columns": [{"name": c[0], "type": c[1]} for c in cols],
    }


def publish(con, exports: Path, extractor_version: str) -> dict:
    """Bring `exports` in line with the snapshot `con` has attached; returns the manifest.

    Writes only what changed since the manifest's snapshot or what fails verification.
    """
    exports.mkdir(parents=True, exist_ok=True)
    for stale in exports.glob(".*.tmp"):  # left by a killed build; file names carry the writer's pid
        if not _pid_alive(stale.name.rsplit(".", 2)[-2]):
            stale.unlink(missing_ok=True)
    snapshot = lake.current_snapshot(con)
    previous = read_manifest(exports)
    since = previous.get("snapshot_id") if previous else None
    redo = lake.changed_tables(con, since, snapshot) | damaged(exports, previous)
    old = {e["table"]: e for e in (previous or {}).get("tables", [])}
    entries = []
    for table in SCHEMAS:
        path = exports / f"{table}.parquet"
        if table in redo:
            _write_table(con, table, path)
            entries.append(_entry(con, table, path))
        else:
            entries.append(old[table])
    if previous and not redo and previous.get("snapshot_id") == snapshot and (exports / bundle.BUNDLE_NAME).exists():
        return previous
    at = con.execute("SELECT snapshot_time FROM lake.snapshots() WHERE snapshot_id = ?", [snapshot]).fetchone()[0]
    manifest = {"snapshot_id": snapshot, "generated_at": _iso(at), "extractor_version": extractor_version,
                "tables": entries}
    _write_texts(exports, manifest)
    return manifest


def _write_texts(exports: Path, manifest: dict) -> None:
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    package_text = json.dumps(datapackage.descriptor(manifest), indent=2) + "\n"
    _write_text(exports / "datapackage.json", package_text)
    _write_text(exports / "extractor_version", manifest["extractor_version"] + "\n")
    bundle.write_bundle(exports, [e["file"] for e in manifest["tables"]],
                        {"manifest.json": manifest_text, "DATA_DICTIONARY.md": dictionary.markdown(),
                         "datapackage.json": package_text})
    faults.crash_point("publish")
    _write_text(exports / MANIFEST, manifest_text)


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pid_alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
