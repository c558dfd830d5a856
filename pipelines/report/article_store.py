"""Article pages kept outside the per-build publication folders, in one stable folder per page
stamp (extractor version and article templates): `pages/<stamp>/<article_id>.html` beside the
catalog and the `publications/` folder.

An article id is the hash of the article's text, so the page of one id under one stamp only
changes when the file of that text moved (its path is on the page): a build writes the pages of the
articles it adds or changes and of those missing, nothing else. A publication reaches the pages
through ONE symbolic link, `html/articles -> ../../../pages/<stamp>`, instead of a hard link per
page: a build of one new article neither links 10,000 pages nor, five minutes later, unlinks them.

A page is written to a temporary name and renamed over its final name, so a reader (the current
publication's, or an older one still in its grace period) opens the old page or the new one, never
half of one. Pages a build wrote for a commit that did not happen (killed, failed, or lost to a
concurrent build) stay: they are the pages of those articles under this stamp, so the next build
uses them instead of rendering them again, and removing them could take a page from a concurrent
build's (or this build's retried) commit that found it there. `sweep` removes, once they are older than a grace period, pages of articles that no kept
publication has and stamp folders that no kept publication links.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

STORE = "pages"  # beside the publications folder
LINK = "articles"  # html/articles in a publication
TMP_SUFFIX = ".tmp"


def root(publications: Path) -> Path:
    return publications.parent / STORE


def stamp_folder(publications: Path, stamp: str) -> Path:
    """The folder holding the pages made under `stamp` (a short hash: any stamp is a safe name)."""
    return root(publications) / hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:16]


def link(html: Path, store: Path) -> None:
    """Make `html/articles` lead to `store` (a relative link, so a copied warehouse keeps working)."""
    store.mkdir(parents=True, exist_ok=True)
    path = html / LINK
    tmp = html / f".{LINK}.{os.getpid()}{TMP_SUFFIX}"
    tmp.unlink(missing_ok=True)
    try:
        os.symlink(os.path.relpath(store, html), tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def linked(html: Path) -> Path | None:
    """The stamp folder `html/articles` leads to (None when it is not a link)."""
    try:
        return (html / os.readlink(html / LINK)).resolve()
    except OSError:
        return None


def present(store: Path) -> set[str]:
    """Article ids with a page in `store` (one listing of the folder)."""
    try:
        return {n[:-5] for n in os.listdir(store) if n.endswith(".html") and not n.startswith(".")}
    except FileNotFoundError:
        return set()


def write(path: Path, html: str) -> None:
    """Write a page under a temporary name and rename it over `path` (readers see old or new)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _ids(folder: Path) -> set[str]:
    from pipelines.store.exports import table_glob

    con = duckdb.connect()
    try:
        return {r[0] for r in con.execute(f"SELECT article_id FROM read_parquet('{table_glob(folder, 'articles')}')").fetchall()}
    finally:
        con.close()


def sweep(publications: Path, kept: Iterable[Path], grace_s: float, now: float | None = None) -> int:
    """Remove pages (and stamp folders) no publication in `kept` uses, once older than `grace_s`
    (a live build writes its pages a moment before it commits). Returns the files removed. Does
    nothing when a kept publication cannot be read (a build is still writing it)."""
    base = root(publications)
    if not base.is_dir():
        return 0
    now = time.time() if now is None else now
    wanted: dict[Path, set[str]] = {}
    try:
        for folder in kept:
            store = linked(folder / "html")
            if store is not None:
                wanted.setdefault(store, set()).update(_ids(folder))
    except (OSError, duckdb.Error):
        return 0
    removed = 0
    for store in base.iterdir():
        ids = wanted.get(store.resolve())
        if ids is not None:
            removed += _sweep_store(store, ids, grace_s, now)
        elif now - store.stat().st_mtime > grace_s:  # else a stamp folder a live build has just made
            removed += sum(1 for _ in store.iterdir())
            shutil.rmtree(store, ignore_errors=True)
    return removed


def _sweep_store(store: Path, ids: set[str], grace_s: float, now: float) -> int:
    removed = 0
    for entry in os.scandir(store):
        name = entry.name
        keep = name.endswith(".html") and not name.startswith(".") and name[:-5] in ids
        if keep:
            continue
        try:
            if now - entry.stat().st_mtime > grace_s:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            pass
    return removed
