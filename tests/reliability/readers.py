"""What a reader sees of a warehouse: the lake's snapshot, the publication it names, and the
documented paths (exports/manifest.json, exports/html/) - shared by the crash, disk-full and
concurrency tests."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import polars as pl

from pipelines.settings import paths
from pipelines.store import exports, lake, publication

LINK = re.compile(r'href="([^"#:]+)(?:#[^"]*)?"')
ARTICLE_ID = re.compile(r'\["([0-9a-f]{16})",')  # the first field of each row of a list part


def lake_snapshot(warehouse: Path) -> int:
    con = lake.connect(paths(None, warehouse), read_only=True)
    try:
        return lake.current_snapshot(con)
    finally:
        con.close()


def exports_consistent(folder: Path) -> bool:
    """Every file the manifest in `folder` names is there with its sha256, size and row count."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["tables"]:
        for part in entry["parts"]:
            data = (folder / part["file"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != part["sha256"] or len(data) != part["bytes"]:
                return False
            if pl.read_parquet(folder / part["file"]).height != part["rows"]:
                return False
        if sum(p["rows"] for p in entry["parts"]) != entry["rows"]:
            return False
    return True


def missing_links(html: Path) -> list[str]:
    """Pages the dashboard (and the people index, and the dashboard's article list) link that do not exist."""
    missing = []
    for page in (html / "index.html", html / "people" / "index.html"):
        for href in set(LINK.findall(page.read_text(encoding="utf-8"))):
            if not (page.parent / href).exists():
                missing.append(f"{page.name} -> {href}")
    for part in sorted((html / "list").glob("part-*.js")):
        for aid in ARTICLE_ID.findall(part.read_text(encoding="utf-8")):
            if not (html / "articles" / f"{aid}.html").is_file():
                missing.append(f"{part.name} -> articles/{aid}.html")
    return missing


def article_pages_match(folder: Path) -> bool:
    """A page for every article of the publication's articles.parquet, and a list part per part,
    listing exactly those articles, and no page of another article."""
    ids = set(pl.read_parquet(exports.table_glob(folder, "articles"))["article_id"].to_list())
    pages = {p.stem for p in (folder / "html" / "articles").glob("*.html")}
    listed = {aid for part in (folder / "html" / "list").glob("part-*.js")
              for aid in ARTICLE_ID.findall(part.read_text(encoding="utf-8"))}
    return ids == pages and listed == ids


def assert_reader_sees_one_snapshot(warehouse: Path) -> publication.Publication:
    """What every reader resolves (serve, the CLI): the lake's snapshot, its manifest and its pages."""
    pub = publication.current(paths(None, warehouse))
    assert pub is not None and pub.folder.is_dir()
    assert pub.manifest["snapshot_id"] == lake_snapshot(warehouse)
    assert json.loads((pub.folder / "manifest.json").read_text()) == pub.manifest
    assert exports_consistent(pub.folder)
    assert not missing_links(pub.folder / "html"), missing_links(pub.folder / "html")
    assert article_pages_match(pub.folder)
    return pub


def assert_stable_paths_whole(warehouse: Path) -> int:
    """What a reader of `exports/` sees once no build is moving files into it: one whole publication
    (its manifest, every file it names, its pages); returns that publication's snapshot id."""
    folder = warehouse.parent / "exports"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert exports_consistent(folder)
    assert not missing_links(folder / "html") and article_pages_match(folder)
    return manifest["snapshot_id"]


def assert_stable_paths_follow(warehouse: Path) -> None:
    """After a completed build, the documented paths show the lake's snapshot too."""
    assert assert_stable_paths_whole(warehouse) == lake_snapshot(warehouse)
    assert publication.in_step(paths(None, warehouse), publication.current(paths(None, warehouse)))


def assert_no_leftovers(warehouse: Path, staged: bool = True) -> None:
    """No temporary file, and no staging folder of a publication (none of these builds is alive, and
    what they committed is moved in); with `staged`, no staging folder of a run either (those of
    builds run in this live process stay)."""
    p = paths(None, warehouse)
    assert not list(warehouse.parent.glob(".exports*"))
    assert not [t for t in (*p.exports.rglob(".*.tmp"), *publication.root(p).rglob(".*.tmp"))]
    assert not [f for f in publication.root(p).iterdir() if f.is_dir()]
    assert not staged or not list((warehouse.parent / ".tables").glob("run-*"))
