"""Finding the article a user means: by id prefix, by path (as stored, `seeds/...`, absolute) or by
title words. Reads the public `articles` table only."""

from __future__ import annotations

import re
from pathlib import PurePath

HEX = re.compile(r"[0-9a-f]{4,16}")


def _norm_path(ref: str) -> str:
    posix = PurePath(ref).as_posix()
    return posix[2:] if posix.startswith("./") else posix


def find_articles(con, ref: str) -> list[tuple[str, str | None, str]]:
    """Articles (article_id, title, source_path) matching `ref`; the best kind of match wins.

    Tried in order, the first kind that matches anything decides: an exact id or path, a path that
    ends with a stored path (`seeds/a.txt`, `/home/me/repo/seeds/a.txt`), an id prefix, then title
    (or path) containing every word of `ref`.
    """
    ref = ref.strip()
    if not ref:
        raise ValueError("empty article reference: give an article_id (or its first characters), a path or title words")
    rows = con.execute("SELECT article_id, title, source_path FROM articles ORDER BY source_path").fetchall()
    path = _norm_path(ref)
    exact = [r for r in rows if ref in (r[0], r[2]) or path == r[2]]
    if exact:
        return exact
    suffix = [r for r in rows if path.endswith("/" + r[2])]
    if suffix:
        longest = max(len(r[2]) for r in suffix)
        return [r for r in suffix if len(r[2]) == longest]
    if HEX.fullmatch(ref.lower()):
        prefix = [r for r in rows if r[0].startswith(ref.lower())]
        if prefix:
            return prefix
    words = [w for w in re.findall(r"\w+", ref.lower()) if w]
    return [r for r in rows
            if words and all(re.search(rf"\b{re.escape(w)}", f"{r[1] or ''} {r[2]}".lower()) for w in words)]
