"""Writing the annotated pages into `exports/html/`: one page per article, and an index.

Pages are rebuilt only for articles that have none yet (or when the extractor or the templates
changed); pages of removed articles are deleted. Reads the published Parquet exports.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

import polars as pl

from pipelines.report.render import article_page, index_page

VERSION_FILE = ".pages_version"
PAGE_CHUNK = 500


def _templates_hash() -> str:
    h = hashlib.sha256()
    root = resources.files("pipelines.report")
    for name in ("render.py", "templates/base.html", "templates/article.html", "templates/index.html"):
        h.update(root.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def _write(path: Path, html: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)


def _generated_at(exports: Path) -> str:
    import json

    try:
        return json.loads((exports / "manifest.json").read_text(encoding="utf-8"))["generated_at"]
    except (OSError, ValueError, KeyError):
        return "unknown"


def _rows_by_article(df: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in df.iter_rows(named=True):
        out.setdefault(row["article_id"], []).append(row)
    return out


def write_pages(exports: Path, extractor_version: str) -> dict[str, int]:
    """Render what is missing or stale; returns counts of pages written, kept and removed."""
    out = exports / "html"
    out.mkdir(parents=True, exist_ok=True)
    version = f"{extractor_version}:{_templates_hash()}"
    version_path = out / VERSION_FILE
    published = _generated_at(exports)
    stamp = f"{version} {published}"
    if version_path.exists() and version_path.read_text().strip() == stamp and (out / "index.html").exists():
        return {"written": 0, "kept": len(list(out.glob("*.html"))) - 1, "removed": 0}  # nothing published since
    stale = not version_path.exists() or version_path.read_text().split()[0] != version
    read = lambda t: pl.read_parquet(exports / f"{t}.parquet")  # noqa: E731
    articles = pl.read_parquet(exports / "articles.parquet", columns=["article_id", "title", "source_path",
                                                                      "published_on", "n_words", "text"])
    ids = set(articles["article_id"].to_list())
    existing = {p.stem for p in out.glob("*.html") if p.stem != "index"}
    removed = existing - ids
    for aid in removed:
        (out / f"{aid}.html").unlink(missing_ok=True)
    todo = sorted(ids if stale else ids - existing)
    entities = {r["entity_id"]: r for r in read("entities").iter_rows(named=True)} if todo else {}
    for start in range(0, len(todo), PAGE_CHUNK):  # a chunk at a time: memory stays flat
        keep = pl.Series(todo[start:start + PAGE_CHUNK]).implode()

        def pick(table: str, keep=keep) -> dict[str, list[dict]]:
            return _rows_by_article(pl.scan_parquet(exports / f"{table}.parquet")
                                    .filter(pl.col("article_id").is_in(keep)).collect())

        paragraphs, quotes, claims = pick("paragraphs"), pick("quotes"), pick("claims")
        sources, mentions, times = pick("sources"), pick("mentions"), pick("time_expressions")
        for article in articles.filter(pl.col("article_id").is_in(keep)).iter_rows(named=True):
            aid = article["article_id"]
            html = article_page(article, paragraphs.get(aid, []), quotes.get(aid, []), claims.get(aid, []),
                                sources.get(aid, []), mentions.get(aid, []), entities, times.get(aid, []))
            _write(out / f"{aid}.html", html)
    counts = (read("claims").filter(~pl.col("is_display")).group_by("article_id").len("n_claims")
              .join(read("quotes").group_by("article_id").len("n_quotes"), on="article_id", how="full", coalesce=True)
              .join(read("sources").group_by("article_id").len("n_sources"), on="article_id", how="full", coalesce=True))
    listing = (articles.select("article_id", "title", "source_path", "published_on", "n_words")
               .join(counts, on="article_id", how="left").fill_null(0).sort("source_path"))
    _write(out / "index.html", index_page(listing.to_dicts()))
    version_path.write_text(stamp + "\n")
    return {"written": len(todo), "kept": len(ids) - len(todo), "removed": len(removed)}
