"""The downloadable exports of one publication: a Parquet file per table, `manifest.json` (naming
the snapshot), `datapackage.json`, `extractor_version` and the dataset zip, written into the
publication's own folder (see `pipelines.store.publication`) before the commit that makes it current.

The lake is the source of truth; the exports are derived from it, as the commit's transaction sees
it. A table's file is written again only when the table changes in this commit (or changed since
the previous publication) or when the previous publication's file no longer matches its sha256 (a
damaged file is rebuilt from the lake, never re-blessed); otherwise it is a hard link to the
previous publication's file, so an unchanged table costs no bytes and keeps its inode.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from pipelines import faults
from pipelines.docs import dictionary
from pipelines.schemas import SCHEMAS, SORT_KEYS
from pipelines.store import bundle, datapackage

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "tables" in manifest else None


def damaged(folder: Path, manifest: dict | None) -> set[str]:
    """Tables whose file in `folder` is missing or differs from what the manifest says it is."""
    entries = {e.get("table"): e for e in (manifest or {}).get("tables", [])}
    bad = set()
    for table in SCHEMAS:
        entry, path = entries.get(table), folder / f"{table}.parquet"
        if not entry or not path.is_file() or path.stat().st_size != entry.get("bytes") \
                or sha256_of(path) != entry.get("sha256"):
            bad.add(table)
    return bad


def _columns(con, table: str) -> list[dict]:
    return [{"name": c[0], "type": c[1]} for c in con.execute(f'DESCRIBE SELECT * FROM "{table}"').fetchall()]


def changed_columns(con, manifest: dict | None) -> set[str]:
    """Tables whose columns in the lake differ from the manifest's (a column added to the contract)."""
    entries = {e.get("table"): e for e in (manifest or {}).get("tables", [])}
    return {t for t in SCHEMAS if t not in entries or entries[t].get("columns") != _columns(con, t)}


def _write_table(con, table: str, path: Path) -> None:
    """Write `table` as the connection sees it, in its sort order (same rows, same bytes)."""
    order = ", ".join(f'"{c}" NULLS LAST' for c in SORT_KEYS[table])
    con.execute(f"COPY (SELECT * FROM \"{table}\" ORDER BY {order}) TO '{path.as_posix()}' "
                "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
    faults.crash_point("export_write")
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _entry(con, table: str, path: Path) -> dict:
    return {
        "table": table,
        "file": f"{table}.parquet",
        "rows": con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
        "columns": _columns(con, table),
    }


def link_or_copy(src: Path, dst: Path) -> bool:
    """Make `dst` (a new name) the same file as `src`: a hard link, else a copy. False if `src` is gone."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        return False
    except OSError:  # a file system without hard links
        shutil.copyfile(src, dst)
    return True


def write(con, folder: Path, previous: Path | None, previous_manifest: dict | None, redo: set[str],
          header: dict) -> dict:
    """Write the exports of what `con` sees into the new publication `folder`; returns the manifest
    (`header` plus an entry per table). Tables not in `redo` are linked from `previous`."""
    old = {e["table"]: e for e in (previous_manifest or {}).get("tables", [])}
    entries = []
    for table in SCHEMAS:
        path = folder / f"{table}.parquet"
        if table not in redo and table in old and previous is not None and link_or_copy(previous / path.name, path):
            entries.append(old[table])
        else:
            _write_table(con, table, path)
            entries.append(_entry(con, table, path))
    manifest = {**header, "tables": entries}
    _write_texts(folder, manifest)
    return manifest


def _write_texts(folder: Path, manifest: dict) -> None:
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    package_text = json.dumps(datapackage.descriptor(manifest), indent=2) + "\n"
    (folder / "datapackage.json").write_text(package_text, encoding="utf-8")
    (folder / "extractor_version").write_text(manifest["extractor_version"] + "\n", encoding="utf-8")
    bundle.write_bundle(folder, [e["file"] for e in manifest["tables"]],
                        {MANIFEST: manifest_text, "DATA_DICTIONARY.md": dictionary.markdown(),
                         "datapackage.json": package_text})
    (folder / MANIFEST).write_text(manifest_text, encoding="utf-8")
