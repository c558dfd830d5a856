"""Publishing validated Parquet as downloadable exports with a manifest.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import polars as pl

from pipelines.docs import dictionary
from pipelines.schemas import SCHEMAS
from pipelines.store import bundle, datapackage


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def publish(parquet_files: dict[str, Path], exports: Path, now: dt.datetime | None = None) -> dict:
    """Copy each table's Parquet into `exports` (unchanged files are left alone) and write the manifest.

    The manifest is written last, so a reader that trusts it sees files that match it.
    """
    exports.mkdir(parents=True, exist_ok=True)
    entries = []
    previous = _read_json(exports / "manifest.json")
    known = {e["file"]: e for e in previous["tables"]} if previous else {}
    for table in SCHEMAS:
        src = parquet_files[table]
        dst = exports / f"{table}.parquet"
        digest = sha256_of(src)
        before = known.get(dst.name)
        # the manifest vouches for the published file while its size is the one recorded
        published = before["sha256"] if before and dst.exists() and dst.stat().st_size == before["bytes"] else None
        if published != digest:
            _copy_atomic(src, dst)
        schema = pl.read_parquet_schema(dst)
        entries.append({
            "table": table,
            "file": dst.name,
            "rows": pl.scan_parquet(dst).select(pl.len()).collect().item(),
            "bytes": dst.stat().st_size,
            "sha256": digest,
            "columns": [{"name": k, "type": str(v)} for k, v in schema.items()],
        })
    generated_at = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    unchanged = bool(previous) and previous.get("tables") == entries
    if unchanged:
        generated_at = previous["generated_at"]  # nothing changed: the same manifest, byte for byte
    manifest = {"generated_at": generated_at, "tables": entries}
    _write_text(exports / "datapackage.json", json.dumps(datapackage.descriptor(manifest), indent=2) + "\n")
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    if not (unchanged and (exports / bundle.BUNDLE_NAME).exists()):
        bundle.write_bundle(exports, [e["file"] for e in entries],
                            {"manifest.json": manifest_text, "DATA_DICTIONARY.md": dictionary.markdown(),
                             "datapackage.json": (exports / "datapackage.json").read_text(encoding="utf-8")})
    _write_text(exports / "manifest.json", manifest_text)  # last: readers trust the manifest
    return manifest


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
