"""The files of the HTML view and how they are replaced: article pages in `html/articles/`, one
`<article_id>.html` per article, and every page or script written under a temporary name in its
folder and renamed over its file, so a reader opens the old file or the new one, never half of one.

An article id is the hash of the article's text, so the page of one id only changes when the code
that renders it changes (the stamps, `stamps.py`) or the file of that text moved (its path is on the
page): a build writes the pages of the articles it adds or changes and of those missing, and removes
the pages of articles no longer there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipelines.store.exports import replacing

LINK = "articles"  # html/articles: the article pages (a link into `pages/` in the layout before)


def folder(html: Path) -> Path:
    """`html/articles`, a real folder (a symbolic link left by the earlier layout is replaced)."""
    path = html / LINK
    if path.is_symlink():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


def present(store: Path) -> set[str]:
    """Article ids with a page in `store` (one listing of the folder)."""
    try:
        return {n[:-5] for n in os.listdir(store) if n.endswith(".html") and not n.startswith(".")}
    except FileNotFoundError:
        return set()


def remove_others(store: Path, ids: Iterable[str]) -> set[str]:
    """Remove the pages of articles not in `ids` (and temporary files of a killed writer); returns
    the ids whose page is there."""
    wanted = set(ids)
    have = set()
    for name in os.listdir(store):
        if name.endswith(".html") and not name.startswith(".") and name[:-5] in wanted:
            have.add(name[:-5])
        else:
            (store / name).unlink(missing_ok=True)
    return have


def write(path: Path, html: str) -> None:
    """Write a page under a temporary name and rename it over `path` (readers see old or new)."""
    with replacing(path) as tmp:
        tmp.write_text(html, encoding="utf-8")

