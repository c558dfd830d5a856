"""Writing the HTML view of the exports into their `html/` folder: the corpus dashboard
(`index.html`), its article list and search index (`list/part-NN.js`, `search/part-NN.js`, one
script per part), a page per source across articles (`people/`) and a page per article
(`articles/`), read from the exports' own Parquet parts, once they are in place (after the commit:
see `pipelines.store.publication`).

Every page is written under a temporary name and renamed over its file, so a reader opens the old
page or the new one, never half of one. Memory is bounded by a part, not by the corpus: article
pages are rendered part by part, PAGE_BATCH articles at a time (their rows of one part of each
table), in one worker process per core when there are many, the corpus pages ask DuckDB for counts
and groups (`corpus.py`) and fetch only what a page shows, person pages one person at a time (from
results sorted by person, read side by side), and each part of the list and of the search index is
streamed to its file.

What did not change is not rendered again: only the articles a commit adds or changes, or whose page
is missing, get a page written; the page of every person with no source in a changed article (and
no link to one who has) stays as it is, and so does every part of the article list and of the
search index with no changed article; the dashboard (it lists no article, only totals, charts and
the most quoted) and the people list are made again only when an article changed. Pages of articles
and people no longer there are removed. The stamps (`stamps.py`) say what code made the pages: a
page of other code is made again.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import duckdb

from pipelines import faults
from pipelines.report import article_store, charts, corpus, dashboard
from pipelines.report.people import assemble, person_href
from pipelines.report.render import article_page, dashboard_page, people_page, person_page
from pipelines.report.stamps import VERSION_FILE, stamp_of, stamps
from pipelines.schemas import SCHEMAS
from pipelines.store.exports import PARTS, part_file, part_of, replacing, table_glob
from pipelines.store.sqllist import IN_LIST, joined

DASHBOARD_PEOPLE = 15  # most quoted sources listed on the dashboard
SEARCH_DIR = "search"  # the dashboard's search index, one script per part
LIST_DIR = "list"  # the dashboard's article list, one script per part
MEMORY_LIMIT = "256MB"  # the reading connection's; DuckDB spills beyond it (sorts of every claim by person)
CORPUS_PAGES = ("index.html", "people/index.html")
TURNED = ".turned"  # in people/: keys of people who appeared or disappeared in a write not yet finished
PAGE_BATCH = 250  # article pages rendered from one read of their part: the rows a renderer holds, whatever the corpus
# from this many article pages to render on, one worker process per core renders them: a page takes
# 3-5 ms (10,000 pages: 30-50 s on one core), a spawned worker starts in 1-2 s; from this many
# articles on, every corpus page (a full refresh) is made in one worker process too, so what it
# holds never adds to the build's peak (measured on 10,000 articles: 94 -> 348 MB in process); it
# runs beside the article pages' workers
PARALLEL_PAGES = 1000
PER_ARTICLE = ("paragraphs", "quotes", "claims", "mentions", "time_expressions")


def _write(path: Path, html: str) -> None:
    article_store.write(path, html)


def _write_if_changed(path: Path, html: str) -> None:
    """Write the page unless the file there already is this page (it keeps its time and inode)."""
    try:
        if path.read_text(encoding="utf-8") == html:
            return
    except OSError:
        pass
    _write(path, html)


def reader(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection where every table of the publication in `folder` is a view
    over its parts: the SQL of `corpus.py` runs on it as on the lake."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    for table in SCHEMAS:
        con.execute(f"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{table_glob(folder, table)}')")
    return con


def write_pages(folder: Path, extractor_version: str, changed: Iterable[str] | None = None,
                before: Iterable[str] = ()) -> dict[str, int]:
    """Bring the pages in `folder/html` to the exports in `folder` (reading its Parquet parts), leaving
    the pages that did not change. `changed`: ids of the articles whose rows changed (None: unknown,
    render every corpus page); `before`: people keys the changed articles had before the change (their
    pages change too). Pages made by other code (another stamp) are all made again. Returns counts."""
    out = folder / "html"
    (out / "people").mkdir(parents=True, exist_ok=True)
    article_stamp, stamp = stamps(extractor_version)
    old_stamp = stamp_of(out)
    if old_stamp != stamp:  # a kill from here on leaves every page to be made again
        (out / VERSION_FILE).unlink(missing_ok=True)
    same_corpus = old_stamp == stamp
    store = article_store.folder(out)
    con = reader(folder)
    try:
        changed = None if changed is None else sorted(changed)
        affected = None if changed is None or not same_corpus else corpus.keys_of_articles(con, changed) | set(before)
        parts = None if changed is None else {part_of(a) for a in changed}
        redo = old_stamp.split(" ")[0] != article_stamp  # article pages of other code
        if affected is None and con.execute("SELECT count(*) FROM articles").fetchone()[0] >= PARALLEL_PAGES:
            # every corpus page of a large corpus, in a worker of its own started first: it runs beside
            # the article pages' workers instead of after them (one core was idle while it ran alone)
            with _one_worker() as pool:
                corpus_pages = pool.submit(_all_corpus_pages, folder, out, same_corpus, parts)
                written, kept = _article_pages(con, folder, store, changed, redo)
                n_people = corpus_pages.result()
        else:
            written, kept = _article_pages(con, folder, store, changed, redo)
            corpus.keep_person_keys(con)  # once, instead of in each query of the people
            n_people = write_corpus_pages(con, out, same_corpus, affected, parts)
    finally:
        con.close()
    article_store.write(out / VERSION_FILE, stamp + "\n")
    return {"written": written, "kept": kept, "people_pages": n_people}


def _article_pages(con, folder: Path, out: Path, changed: Iterable[str] | None = None,
                   redo: bool = False) -> tuple[int, int]:
    """Render into the article-page folder `out` the pages of the articles in `changed` and of those
    that have none there (of every article with `redo`), part by part, PAGE_BATCH articles at a
    time, in worker processes when there are many; keep the others, remove pages of articles gone.
    Returns (written, kept)."""
    ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY article_id").fetchall()]
    present = article_store.remove_others(out, ids)
    have = set() if redo else present - set(changed or ())
    todo = [aid for aid in ids if aid not in have]
    by_part: dict[int, list[str]] = {}
    for aid in todo:
        by_part.setdefault(part_of(aid), []).append(aid)
    batches = [(part, chunk[i:i + PAGE_BATCH]) for part, chunk in sorted(by_part.items())
               for i in range(0, len(chunk), PAGE_BATCH)]
    workers = os.cpu_count() or 1
    if len(todo) >= PARALLEL_PAGES and workers > 1:
        # spawned, not forked: the calling process (Dagster) runs threads (see pipelines.cluster.engine)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for _ in pool.map(_write_batch, repeat(folder), repeat(out), batches):
                faults.crash_point("page_write")  # pages written, the dashboard not yet
        return len(todo), len(ids) - len(todo)
    first = True
    for part, chunk in batches:
        for html_name, html in _render_part(folder, part, chunk):
            article_store.write(out / html_name, html)
            if first:
                faults.crash_point("page_write")  # a page written, the dashboard not yet
                first = False
    if first:
        faults.crash_point("page_write")
    return len(todo), len(ids) - len(todo)


def _one_worker() -> ProcessPoolExecutor:
    """One spawned worker process: what it holds (DuckDB's sorts, a person's rows) is given back to
    the system when it ends, so it never adds to this process's peak."""
    # spawned, not forked: the calling process (Dagster) runs threads (see pipelines.cluster.engine)
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def _all_corpus_pages(folder: Path, out: Path, reuse: bool, changed_parts: set[int] | None) -> int:
    """Every corpus page of the publication in `folder` (in a worker process); returns the person pages."""
    con = reader(folder)
    try:
        corpus.keep_person_keys(con)
        return write_corpus_pages(con, out, reuse, None, changed_parts)
    finally:
        con.close()


def _write_batch(folder: Path, out: Path, batch: tuple[int, list[str]]) -> int:
    """Render and write the pages of one batch (in a worker process); returns how many."""
    n = 0
    for html_name, html in _render_part(folder, *batch):
        article_store.write(out / html_name, html)
        n += 1
    return n


def _rows_by_article(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["article_id"], []).append(row)
    return out


def _render_part(folder: Path, part: int, ids: list[str]) -> Iterable[tuple[str, str]]:
    """(file name, page) of the articles `ids` of one part, from that part's file of each table."""
    con = duckdb.connect()
    try:
        def pick(table: str, select: str = "*") -> list[dict]:
            path = (folder / part_file(table, part)).as_posix()
            return corpus.rows(con, f"SELECT {select} FROM read_parquet('{path}') WHERE article_id IN "
                                    f"{IN_LIST}", [joined(ids)])

        articles = pick("articles", "article_id, title, source_path, published_on, n_words, text")
        tables = {t: _rows_by_article(pick(t)) for t in PER_ARTICLE}
        sources = _rows_by_article(pick("sources", f"*, {corpus.PERSON_KEY} AS key"))
        wanted = sorted({m["entity_id"] for ms in tables["mentions"].values() for m in ms if m["entity_id"]})
        entities = {e["entity_id"]: e for e in corpus.rows(
            con, f"SELECT * FROM read_parquet('{table_glob(folder, 'entities')}') WHERE entity_id IN "
                 f"{IN_LIST}", [joined(wanted)])}
        for a in articles:
            aid = a["article_id"]
            yield f"{aid}.html", article_page(a, tables["paragraphs"].get(aid, []), tables["quotes"].get(aid, []),
                                              tables["claims"].get(aid, []), sources.get(aid, []),
                                              tables["mentions"].get(aid, []), entities,
                                              tables["time_expressions"].get(aid, []))
    finally:
        con.close()


def write_corpus_pages(con, out: Path, reuse: bool = False, affected: set[str] | None = None,
                       changed_parts: set[int] | None = None) -> int:
    """The dashboard, the person pages, the people list, the article list and the search index of
    what `con` holds (the lake, or the exports' `reader`), into `out`. With `reuse` and `affected`
    (people whose own rows change), every other person page already in `out` stays, and when no
    article changed (`changed_parts` empty), so do the dashboard and the people list; the parts of
    the article list and of the search index not in `changed_parts` stay too. Pages of people no
    longer there are removed. Returns the person pages."""
    people = out / "people"
    people.mkdir(parents=True, exist_ok=True)
    reuse = reuse and affected is not None
    keys = corpus.person_keys(con)
    had = {f.name[:-5] for f in people.glob("*.html") if f.name != "index.html"}
    pending = people / TURNED  # people who appeared or disappeared, kept until their links are redone
    if reuse and affected:  # a person who appears or disappears turns links to them on or off elsewhere
        have = set(keys)
        turned = {k for k in affected if (k in have) != (k in had)} | _read_keys(pending)
        article_store.write(pending, "\n".join(sorted(turned)))  # a kill from here on: the next run redoes them
        affected = affected | corpus.linking_keys(con, sorted(turned))
    todo = [k for k in keys if not reuse or k in affected or k not in had]
    # one person's rows in memory at a time, read from four results sorted by person
    for rows in corpus.people_stream(con, None if len(todo) == len(keys) else todo) if todo else ():
        p = assemble(*rows)[0]
        _write_if_changed(people / f"{p['key']}.html", person_page(p))
    for gone in had - set(keys):
        (people / f"{gone}.html").unlink(missing_ok=True)
    pending.unlink(missing_ok=True)
    by_part = _ids_by_part(con)
    for folder, write in ((SEARCH_DIR, _write_search_part), (LIST_DIR, _write_list_part)):
        _write_parts(con, out, folder, write, by_part, reuse, changed_parts)
    if reuse and not affected and not changed_parts and all((out / page).is_file() for page in CORPUS_PAGES):
        return len(keys)
    everyone = corpus.people_summary(con)  # most quoted first: the dashboard's lists are its head
    _write_if_changed(people / "index.html", people_page(everyone))
    _write_dashboard(con, out, everyone)
    return len(keys)


def _write_dashboard(con, out: Path, everyone: list[dict]) -> None:
    """The dashboard; `everyone` is `corpus.people_summary`, most quoted first."""
    totals = corpus.totals(con)
    by_type = corpus.claims_by_type(con)
    years, earlier = dashboard.years_mentioned(corpus.year_counts(con))
    quoted = [(p["name"], p["n_quotes"], 0, person_href(p["key"])) for p in corpus.top_quoted(everyone)]
    figures = {
        "quoted": charts.bars("Who is quoted most", quoted),
        "claims": charts.bars("Claims by type and hedging", [(t, n, h, None) for t, n, h in by_type],
                              legend=("claims", "hedged")),
        "sources": charts.bars("Sources by type", [(t, n, 0, None) for t, n in corpus.sources_by_type(con)]),
        "quotes": charts.columns("Quotes per article", dashboard.quotes_per_article(corpus.quote_counts(con))),
        "years": charts.columns("Years mentioned", years, label_every=max(1, len(years) // 8)),
    }
    notes = {"years": f"{earlier} mention(s) of earlier years not shown" if earlier else ""}
    top = [{**p, "href": person_href(p["key"])} for p in everyone[:DASHBOARD_PEOPLE]]
    _write(out / "index.html", dashboard_page(totals, figures, top, notes, PARTS))


def _ids_by_part(con) -> dict[int, list[str]]:
    ids: dict[int, list[str]] = {}
    for (aid,) in corpus.stream(con, "SELECT article_id FROM articles ORDER BY article_id"):
        ids.setdefault(part_of(aid), []).append(aid)
    return ids


def _read_keys(path: Path) -> set[str]:
    try:
        return {k for k in path.read_text(encoding="utf-8").split() if k}
    except OSError:
        return set()


def _write_parts(con, out: Path, folder: str, write, ids: dict[int, list[str]], reuse: bool,
                 changed_parts: set[int] | None) -> None:
    """`<folder>/part-00.js` ... `part-15.js`, each written by `write` from the articles of its part
    (under a temporary name, then renamed); with `reuse`, parts whose articles did not change stay."""
    (out / folder).mkdir(exist_ok=True)
    for part in range(PARTS):
        path = out / folder / f"part-{part:02d}.js"
        if reuse and changed_parts is not None and part not in changed_parts and path.is_file():
            continue
        with replacing(path) as tmp:
            write(con, tmp, ids.get(part, []))


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _write_list_part(con, path: Path, ids: list[str]) -> None:
    """One part of the dashboard's article list (loaded with the dashboard, sorted and filtered
    there): `CLAIMS_ARTICLE_PARTS.push([[id, title, file, published, words, claims, quotes, sources]])`."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("CLAIMS_ARTICLE_PARTS.push([")
        for i, a in enumerate(corpus.listing(con, ids)):
            fh.write(("," if i else "") + _dump([a["article_id"], a["title"], a["source_path"], a["published_on"],
                                                 a["n_words"], a["n_claims"], a["n_quotes"], a["n_sources"]]))
        fh.write("]);\n")


def _write_search_part(con, path: Path, ids: list[str]) -> None:
    """One part of the search index (the dashboard loads them all on first use): the claims and
    quotes of the articles of that part, `CLAIMS_SEARCH_PARTS.push({articles: [[id, title]],
    items: [[text, speaker, type, article, anchor, person]]})`, written as it is read."""
    dump = _dump
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('CLAIMS_SEARCH_PARTS.push({"articles":')
        fh.write(dump([list(r) for r in corpus.search_articles(con, ids)]))
        fh.write(',"items":[')
        for i, item in enumerate(corpus.search_items(con, ids)):
            fh.write(("," if i else "") + item)
        fh.write("]});\n")
