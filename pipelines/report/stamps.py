"""What a publication's pages were made by, and whether they are whole: the stamps (extractor
version, templates and page code) written beside the pages, and `pages_complete`.

Kept apart from `publish.py` so that a build with nothing to publish checks its pages without
importing the renderer (Jinja2 and the chart code: 0.12 s of such a build at load 5).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

import duckdb

from pipelines.report import article_store
from pipelines.store.exports import table_glob

VERSION_FILE = ".pages_version"
ARTICLE_FILES = ("render.py", "people.py", "templates/base.html", "templates/article.html")
CORPUS_FILES = ("publish.py", "corpus.py", "charts.py", "dashboard.py", "templates/index.html",
                "templates/person.html", "templates/people.html")


@functools.cache
def source(name: str) -> bytes:
    """A page file (template or page code) as this process first read it. The renderer loads its
    templates from here and reads them all when it is imported (`render.py`), so the pages a process
    renders and the stamps it writes come from the same bytes: a long-running `serve` whose files a
    deploy replaced neither renders new templates under its old stamp nor stamps old pages as new."""
    return resources.files("pipelines.report").joinpath(name).read_bytes()


def templates_hash(names: tuple[str, ...] = ARTICLE_FILES) -> str:
    h = hashlib.sha256()
    for name in names:
        h.update(source(name))
    return h.hexdigest()[:16]


def stamps(extractor_version: str) -> tuple[str, str]:
    """(what article pages depend on, what every page depends on)."""
    article = f"{extractor_version}:{templates_hash()}"
    return article, f"{article} {templates_hash(ARTICLE_FILES + CORPUS_FILES)}"


def stamp_of(html: Path) -> str:
    try:
        return (html / VERSION_FILE).read_text().strip()
    except OSError:
        return ""


def pages_complete(folder: Path, extractor_version: str) -> bool:
    """Are the publication's pages made by this code, with the dashboard and a page per article?"""
    html = folder / "html"
    if stamp_of(html) != stamps(extractor_version)[1] or not (html / "index.html").is_file():
        return False
    store = html / article_store.LINK
    if store.is_symlink() or not store.is_dir():
        return False
    try:
        con = duckdb.connect()
        ids = {r[0] for r in con.execute(f"SELECT article_id FROM read_parquet('{table_glob(folder, 'articles')}')").fetchall()}
        con.close()
    except (OSError, duckdb.Error):
        return False
    return ids <= article_store.present(store)
