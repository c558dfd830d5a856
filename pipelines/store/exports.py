"""Publishing validated Parquet as downloadable exports with a manifest.json, one generation at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import polars as pl

from pipelines import faults
from pipelines.docs import dictionary
from pipelines.schemas import SCHEMAS
from pipelines.store import bundle, datapackage


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _entry(table: str, src: Path) -> dict:
    schema = pl.read_parquet_schema(src)
    return {
        "table": table,
        "file": f"{table}.parquet",
        "rows": pl.scan_parquet(src).select(pl.len()).collect().item(),
        "bytes": src.stat().st_size,
        "sha256": sha256_of(src),
        "columns": [{"name": k, "type": str(v)} for k, v in schema.items()],
    }


def publish(parquet_files: dict[str, Path], exports: Path, now: dt.datetime | None = None,
            extra: dict[str, str] | None = None) -> dict:
    """Publish each table's Parquet, `manifest.json`, `datapackage.json`, the dataset zip and `extra`
    files as a new generation of the exports folder, swapped in atomically.

    `exports` is a symbolic link to the current generation (`.exports-<n>/` beside it): a reader
    sees the old generation or the new one, whole, never a mix; a crash before the swap leaves the
    old one in place. Annotated pages (`html/`) are carried over by hard links. When nothing changed
    the current generation is kept as it is.
    """
    exports = Path(exports)
    entries = [_entry(table, parquet_files[table]) for table in SCHEMAS]
    previous = _read_json(exports / "manifest.json")
    extra = extra or {}
    unchanged = bool(previous) and previous.get("tables") == entries and all(
        (exports / name).exists() and (exports / name).read_text(encoding="utf-8") == text for name, text in extra.items())
    if unchanged and (exports / bundle.BUNDLE_NAME).exists():
        return previous  # same tables, same bytes: nothing to publish
    generated_at = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if previous and previous.get("tables") == entries:
        generated_at = previous["generated_at"]
    manifest = {"generated_at": generated_at, "tables": entries}
    manifest_text = json.dumps(manifest, indent=2) + "\n"
    package_text = json.dumps(datapackage.descriptor(manifest), indent=2) + "\n"

    parent = exports.parent
    parent.mkdir(parents=True, exist_ok=True)
    gen = parent / f".exports-{time.time_ns()}"
    for stale in parent.glob(".exports-building-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = parent / f".exports-building-{os.getpid()}"
    tmp.mkdir()
    for table in SCHEMAS:
        _link(parquet_files[table], tmp / f"{table}.parquet")
    if (exports / "html").is_dir():
        (tmp / "html").mkdir()
        for page in (exports / "html").iterdir():
            if page.is_file() and not page.name.endswith(".tmp"):
                _link(page, tmp / "html" / page.name)
    for name, text in {"datapackage.json": package_text, **extra}.items():
        (tmp / name).write_text(text, encoding="utf-8")
    bundle.write_bundle(tmp, [e["file"] for e in entries],
                        {"manifest.json": manifest_text, "DATA_DICTIONARY.md": dictionary.markdown(),
                         "datapackage.json": package_text})
    (tmp / "manifest.json").write_text(manifest_text, encoding="utf-8")
    faults.crash_point("publish")
    os.replace(tmp, gen)
    _swap_link(exports, gen)
    _prune(parent, keep={gen.name, *_current_targets(parent)})
    return manifest


def _swap_link(exports: Path, gen: Path) -> None:
    """Point `exports` at `gen` with one rename; a real folder left by an older version moves aside."""
    if exports.exists() and not exports.is_symlink():
        os.replace(exports, exports.parent / f".exports-{time.time_ns() - 1}")
    link = exports.parent / f".exports-link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(gen.name, link)
    os.replace(link, exports)


def _current_targets(parent: Path) -> set[str]:
    return {os.readlink(p) for p in parent.iterdir() if p.is_symlink()}


def _prune(parent: Path, keep: set[str], generations: int = 2) -> None:
    """Delete old generations, keeping the current one and the one before it (readers may hold it)."""
    gens = sorted((p for p in parent.glob(".exports-[0-9]*") if p.is_dir() and not p.is_symlink()),
                  key=lambda p: int(p.name.split("-")[-1]))
    for old in gens[:-generations]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
