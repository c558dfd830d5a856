"""Writing the HTML view of one publication into its `html/` folder: one page per article, the
corpus dashboard (`index.html`), a page per source across articles (`people/`) and the dashboard's
search index (`search-index.js`), read from the publication's Parquet files.

Pages are written into a publication that nothing links to yet (see `pipelines.store.publication`),
so they can be written in place. An article page whose article, extractor and templates are
unchanged is a hard link to the previous publication's page, and so is a person page whose
content is the same; everything else is rendered. Removed articles simply have no page in the new
publication.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import polars as pl

from pipelines import faults
from pipelines.report import charts, dashboard
from pipelines.report.people import anchor, people, person_key
from pipelines.report.render import article_page, dashboard_page, people_page, person_page
from pipelines.store.exports import link_or_copy, table_glob

VERSION_FILE = ".pages_version"
PAGE_CHUNK = 500
DASHBOARD_PEOPLE = 15  # most quoted sources listed on the dashboard
SEARCH_INDEX = "search-index.js"


ARTICLE_FILES = ("render.py", "people.py", "templates/base.html", "templates/article.html")
CORPUS_FILES = ("publish.py", "charts.py", "dashboard.py", "templates/index.html", "templates/person.html",
                "templates/people.html")


def _templates_hash(names: tuple[str, ...] = ARTICLE_FILES) -> str:
    h = hashlib.sha256()
    root = resources.files("pipelines.report")
    for name in names:
        h.update(root.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


def _write(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")


def _write_or_link(path: Path, html: str, previous: Path | None) -> None:
    """Write the page, or link the previous publication's page when it is the same: most person
    pages stay the same when one article is added, and keep their inode (the mirror skips them)."""
    try:
        if previous is not None and previous.read_text(encoding="utf-8") == html and link_or_copy(previous, path):
            return
    except OSError:
        pass
    _write(path, html)


def _stamps(extractor_version: str) -> tuple[str, str]:
    """(what article pages depend on, what every page depends on)."""
    article = f"{extractor_version}:{_templates_hash()}"
    return article, f"{article} {_templates_hash(ARTICLE_FILES + CORPUS_FILES)}"


def _stamp_of(html: Path) -> str:
    try:
        return (html / VERSION_FILE).read_text().strip()
    except OSError:
        return ""


def pages_complete(folder: Path, extractor_version: str) -> bool:
    """Are the publication's pages made by this code, with the dashboard and a page per article?"""
    html = folder / "html"
    if _stamp_of(html) != _stamps(extractor_version)[1] or not (html / "index.html").is_file():
        return False
    try:
        ids = pl.read_parquet(table_glob(folder, "articles"), columns=["article_id"])["article_id"].to_list()
    except (OSError, pl.exceptions.PolarsError):
        return False
    return all((html / f"{aid}.html").is_file() for aid in ids)


def _rows_by_article(df: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in df.iter_rows(named=True):
        out.setdefault(row["article_id"], []).append(row)
    return out


def write_pages(con, folder: Path, previous: Path | None, extractor_version: str) -> dict[str, int]:
    """Write the pages of the publication in `folder` (reading its Parquet files), reusing the
    `previous` publication's unchanged pages; returns counts of pages written and kept."""
    out = folder / "html"
    out.mkdir(parents=True, exist_ok=True)
    article_stamp, stamp = _stamps(extractor_version)
    before = previous / "html" if previous is not None and _stamp_of(previous / "html").split(" ")[0] == article_stamp else None
    articles = pl.read_parquet(table_glob(folder, "articles"), columns=["article_id", "title", "source_path",
                                                                     "published_on", "n_words", "text"])
    ids = sorted(set(articles["article_id"].to_list()))
    todo = [aid for aid in ids if before is None or not link_or_copy(before / f"{aid}.html", out / f"{aid}.html")]
    entities = {r["entity_id"]: r for r in _read(folder, "entities").iter_rows(named=True)} if todo else {}
    for start in range(0, len(todo), PAGE_CHUNK):  # a chunk at a time: memory stays flat
        keep = pl.Series(todo[start:start + PAGE_CHUNK]).implode()

        def pick(table: str, keep=keep) -> dict[str, list[dict]]:
            return _rows_by_article(pl.scan_parquet(table_glob(folder, table))
                                    .filter(pl.col("article_id").is_in(keep)).collect())

        paragraphs, quotes, claims = pick("paragraphs"), pick("quotes"), pick("claims")
        sources, mentions, times = pick("sources"), pick("mentions"), pick("time_expressions")
        for article in articles.filter(pl.col("article_id").is_in(keep)).iter_rows(named=True):
            aid = article["article_id"]
            html = article_page(article, paragraphs.get(aid, []), quotes.get(aid, []), claims.get(aid, []),
                                sources.get(aid, []), mentions.get(aid, []), entities, times.get(aid, []))
            _write(out / f"{aid}.html", html)
            if aid == todo[0]:
                faults.crash_point("page_write")  # a page written, the dashboard not yet
    if not todo:
        faults.crash_point("page_write")
    n_people = write_corpus_pages(folder, out, articles, previous / "html" if previous is not None else None)
    (out / VERSION_FILE).write_text(stamp + "\n")
    return {"written": len(todo), "kept": len(ids) - len(todo), "people_pages": n_people}


def _read(exports: Path, table: str, columns: list[str] | None = None) -> pl.DataFrame:
    return pl.read_parquet(table_glob(exports, table), columns=columns)


def write_corpus_pages(exports: Path, out: Path, articles: pl.DataFrame, previous: Path | None = None) -> int:
    """The dashboard, the person pages and the search index, from the whole published corpus;
    returns the number of person pages."""
    claims = _read(exports, "claims", ["claim_id", "article_id", "char_start", "text", "claim_type", "source_id",
                                       "hedged", "is_display"])
    quotes = _read(exports, "quotes", ["quote_id", "article_id", "claim_id", "char_start", "text", "quote_type",
                                       "source_id"])
    sources = _read(exports, "sources")
    info = {r["article_id"]: r for r in articles.select("article_id", "title", "source_path", "published_on").iter_rows(named=True)}
    entities = {r["entity_id"]: r for r in _read(exports, "entities").iter_rows(named=True)}
    everyone = people(info, sources.to_dicts(), claims.to_dicts(), quotes.to_dicts(),
                      _read(exports, "claim_entities").to_dicts(), entities)
    _write_people(out / "people", everyone, previous / "people" if previous is not None else None)
    _write(out / SEARCH_INDEX, _search_index(info, claims, quotes, sources))
    years, earlier = dashboard.years_mentioned(_read(exports, "time_expressions", ["year"]))
    by_type = dashboard.claims_by_type(claims)
    figures = {
        "quoted": charts.bars("Who is quoted most", [(p["name"], p["n_quotes"], 0, p["href"])
                                                     for p in everyone if p["n_quotes"]][:dashboard.TOP_SPEAKERS]),
        "claims": charts.bars("Claims by type and hedging", [(t, n, h, None) for t, n, h in by_type],
                              legend=("claims", "hedged")),
        "sources": charts.bars("Sources by type", [(t, n, 0, None) for t, n in dashboard.sources_by_type(sources)]),
        "quotes": charts.columns("Quotes per article", dashboard.quotes_per_article(articles, quotes)),
        "years": charts.columns("Years mentioned", years, label_every=max(1, len(years) // 8)),
    }
    totals = {"articles": articles.height, "claims": sum(n for _, n, _ in by_type), "quotes": quotes.height,
              "people": len(everyone), "hedged": sum(h for _, _, h in by_type)}
    notes = {"years": f"{earlier} mention(s) of earlier years not shown" if earlier else ""}
    _write(out / "index.html", dashboard_page(totals, figures, dashboard.listing(articles, claims, quotes, sources),
                                              everyone[:DASHBOARD_PEOPLE], notes))
    return len(everyone)


def _write_people(folder: Path, everyone: list[dict], previous: Path | None = None) -> None:
    folder.mkdir(exist_ok=True)
    for p in everyone:
        name = f"{p['key']}.html"
        _write_or_link(folder / name, person_page(p), previous / name if previous is not None else None)
    _write_or_link(folder / "index.html", people_page(everyone), previous / "index.html" if previous is not None else None)


def _search_index(info: dict[str, dict], claims: pl.DataFrame, quotes: pl.DataFrame, sources: pl.DataFrame) -> str:
    """`window.CLAIMS_SEARCH = {articles: [[id, title]], items: [[text, speaker, type, article, anchor, person]]}`."""
    import json

    order = {aid: i for i, aid in enumerate(sorted(info))}
    who = {r["source_id"]: (r["name"], person_key(r["entity_id"], r["name"])) for r in sources.iter_rows(named=True)}
    rows = [(c["text"], c["source_id"], c["claim_type"], c["article_id"], c["claim_id"], c["char_start"])
            for c in claims.filter(~pl.col("is_display")).iter_rows(named=True)]
    rows += [(q["text"], q["source_id"], "scare_quote", q["article_id"], q["quote_id"], q["char_start"])
             for q in quotes.filter(pl.col("claim_id").is_null()).iter_rows(named=True)]
    rows.sort(key=lambda r: (order[r[3]], r[5]))
    items = [[text, who[sid][0] if sid else "(author)", kind, order[aid], anchor(item), who[sid][1] if sid else ""]
             for text, sid, kind, aid, item, _ in rows]
    data = {"articles": [[aid, info[aid]["title"] or info[aid]["source_path"]] for aid in sorted(info)], "items": items}
    return "window.CLAIMS_SEARCH = " + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ";\n"
