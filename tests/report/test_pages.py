"""The HTML view: article pages, the corpus dashboard, person pages and the search index, rendered by
the asset, escaped safely, linked to each other, and checked in a real browser at desk and phone width."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.defs.run import materialise
from pipelines.store import exports
from tests.conftest import SAMPLE_ARTICLE, SEED

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
HOSTILE = ("Hostile page <script>alert('owned')</script>\n\n"
           "“We will <b>not</b> stop,” said Maria Lopez, a council member. The vote was <i>close</i>.\n")
# a second article quoting the harbour article's mayor: her person page gathers both
MARKET = ("Market hall to reopen in spring\n\n"
          "The covered market will reopen in April after repairs, the council said on Thursday.\n\n"
          "“Traders have waited long enough,” said Mayor Jane Okafor. She added that rents would be frozen for a year.\n\n"
          "Stallholder Priya Nair said the delay had cost her most of the winter trade.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    seeds = root / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE, encoding="utf-8")
    (seeds / "market.txt").write_text(MARKET, encoding="utf-8")
    result = materialise(seeds, root / "wh" / "claims.sqlite")
    assert result.success
    return root / "wh" / "exports" / "html"


def article_pages(built: Path) -> list[Path]:
    return sorted((built / "articles").glob("*.html"))


def parts_of(folder: Path, prefix: str) -> list:
    """The data of each `part-NN.js` script in `folder` (`<prefix>(<json>);`)."""
    return [json.loads(p.read_text(encoding="utf-8").removeprefix(prefix).rstrip().rstrip(");"))
            for p in sorted(folder.glob("part-*.js"))]


def page_with(built: Path, words: str) -> Path:
    return next(p for p in article_pages(built) if words in p.read_text())


def test_every_article_has_a_page_and_the_dashboard_lists_them(built):
    pages = article_pages(built)
    assert len(pages) == 4
    listed = parts_of(built / "list", "CLAIMS_ARTICLE_PARTS.push(")
    assert len(listed) == exports.PARTS
    assert sorted(row[0] for part in listed for row in part) == sorted(p.stem for p in pages)
    for k, part in enumerate(listed):  # each article in its part's script, with its counts
        assert all(exports.part_of(row[0]) == k and len(row) == 8 for row in part)
    assert (built / "articles").is_dir() and not (built / "articles").is_symlink()


def test_article_text_is_escaped_everywhere(built):
    html = page_with(built, "Hostile").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>not</b>" not in html
    for page in [built / "index.html", *(built / "people").glob("*.html")]:
        assert "<script>alert" not in page.read_text() and "<b>not</b>" not in page.read_text()


def test_pages_are_self_contained(built):
    for page in [*built.glob("*.html"), *article_pages(built), *(built / "people").glob("*.html")]:
        html = page.read_text()
        assert "http://" not in html and "https://" not in html and "<link" not in html, page.name


def test_dashboard_draws_the_five_charts_as_svg(built):
    index = (built / "index.html").read_text()
    for chart in ("quoted", "claims", "sources", "quotes", "years"):
        block = re.search(rf'id="chart-{chart}".*?</figure>', index, re.S)
        assert block and "<svg" in block.group(0) and "<rect" in block.group(0), chart
    quoted = re.search(r'id="chart-quoted".*?</figure>', index, re.S).group(0)
    assert "Pervez Musharraf" in quoted and 'href="people/' in quoted


def test_every_speaker_link_leads_to_a_page_that_links_back_to_the_exact_place(built):
    checked = 0
    for page in article_pages(built):
        html = page.read_text()
        for href in set(re.findall(r'class="who" href="([^"]+)"', html)):
            person = Path(os.path.normpath(page.parent / href)).read_text()  # as a browser resolves it
            for aid, anchor in re.findall(r'href="\.\./articles/([0-9a-f]{16})\.html#([^"]+)"', person):
                assert f'id="{anchor}"' in (built / "articles" / f"{aid}.html").read_text(), (href, aid, anchor)
                checked += 1
    assert checked >= 20


def test_a_person_page_gathers_their_words_across_articles(built):
    people = {p.read_text().split("<h1>")[1].split("</h1>")[0]: p for p in (built / "people").glob("*.html")
              if p.name != "index.html"}
    okafor = people["Jane Okafor"].read_text()
    assert okafor.count('class="card article-group"') == 2
    assert "Traders have waited long enough" in okafor and "This is a good day for the waterfront" in okafor


def test_each_quotation_names_its_speaker_in_the_text(built):
    html = page_with(built, "Maria Lopez").read_text()
    tag = html.index('class="who"')
    assert html.index(">Maria Lopez</a>", tag) < html.index("We will")
    seed = page_with(built, "Musharraf").read_text()
    assert seed.count('class="who"') >= 10
    assert 'class="rs"' in seed  # reported speech is highlighted, not only its cue


def test_search_index_holds_every_claim_with_speaker_and_anchor(built):
    parts = parts_of(built / "search", "CLAIMS_SEARCH_PARTS.push(")
    hits = [(data, i) for data in parts for i in data["items"] if "Traders have waited" in i[0]]
    assert len(hits) == 1
    data, (text, speaker, kind, article, anchor, person) = hits[0]
    assert (speaker, kind) == ("Jane Okafor", "direct_quote") and person
    aid = data["articles"][article][0]
    assert f'id="{anchor}"' in (built / "articles" / f"{aid}.html").read_text()
    assert exports.part_of(aid) == parts.index(data)  # an article's items are in its part's file
    assert sum(len(d["articles"]) for d in parts) == len(article_pages(built))


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=900, env=env)
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("no Chromium on this machine and it could not be installed with apt-get")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield b
        finally:
            b.close()


def _fits(page, width: int) -> None:
    """Nothing pushes the page wider than the screen (wide tables scroll inside their box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return box is not None and 0 <= box["y"] <= viewport["height"]


@pytest.mark.parametrize("width", [1280, 390])
def test_article_page_in_a_browser(built, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(page_with(built, "Musharraf").as_uri())
    quotes = page.locator("article span.q[title]")
    assert quotes.count() >= 10
    assert "Musharraf" in (quotes.first.get_attribute("title") or "")
    assert page.locator("article a.who").first.is_visible()  # the name is on screen, not in a tooltip
    assert page.locator("article span.rs").count() >= 1
    assert page.locator("#panel #sources li").count() >= 5
    assert page.locator("p.pull_quote").count() == 2 and page.locator("p.headline").count() == 1
    if width < 500:  # on a phone the panel moves under the text instead of squeezing it
        box = page.locator("#article").bounding_box()
        assert box and box["width"] > 300
    _fits(page, width)
    page.screenshot(path=str(ARTIFACTS / f"article-{width}.png"))
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_in_a_browser(built, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto((built / "index.html").as_uri())
    page.wait_for_function("document.getElementById('article-list').dataset.loaded === '4'")  # from list/part-NN.js
    assert page.locator("svg.chart").count() == 5
    for chart in page.locator("svg.chart").all():
        assert chart.bounding_box()["width"] <= width
    _fits(page, width)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)
    rows = page.locator("#article-list tbody tr")
    assert rows.count() == 4
    # sortable: most quotes first after a click on the header (twice: ascending, then descending)
    page.locator("#article-list th button", has_text="Quotes").click()
    page.locator("#article-list th button", has_text="Quotes").click()
    quotes = [int(t) for t in page.locator("#article-list tbody tr td:nth-child(6)").all_inner_texts()]
    assert quotes == sorted(quotes, reverse=True) and quotes[0] >= 10
    # filterable
    page.locator("#filter").fill("market")
    assert [r.is_visible() for r in rows.all()].count(True) == 1
    # the search box finds a quotation and leads to its place in the article
    page.locator("#q").click()
    page.locator("#q").press_sequentially("waited long", delay=20)
    hit = page.locator("#hits a.hit").first
    hit.wait_for()
    assert page.locator("#hits li").count() == 1 and "Jane Okafor" in page.locator("#hits li").inner_text()
    hit.click()
    page.wait_for_load_state()
    anchor = page.url.split("#")[1]
    assert _in_view(page, f"[id='{anchor}']")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_speaker_link_to_person_page_and_back(built, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(page_with(built, "Traders have waited").as_uri())
    page.locator("article a.who", has_text="Jane Okafor").first.click()
    page.wait_for_load_state()
    assert "/people/" in page.url and page.locator("h1").inner_text() == "Jane Okafor"
    assert page.locator(".article-group").count() == 2
    _fits(page, width)
    page.screenshot(path=str(ARTIFACTS / f"person-{width}.png"), full_page=True)
    item = page.locator("a.item", has_text="This is a good day").first
    item.click()
    page.wait_for_load_state()
    anchor = page.url.split("#")[1]
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1 and _in_view(page, f"[id='{anchor}']")
    # the anchor stands at the quotation itself: the text right after it is the quoted words
    following = page.evaluate(f"document.getElementById('{anchor}').nextSibling.textContent")
    assert following.startswith("This is a good day")
    page.close()


def test_pages_rendered_by_worker_processes_equal_those_rendered_in_process(built, tmp_path, monkeypatch):
    """Many pages to render go to one worker process per core, in batches; the pages are the same."""
    import duckdb

    from pipelines.report import publish

    publication = built.parent  # exports/
    con = duckdb.connect()
    con.execute(f"CREATE VIEW articles AS SELECT * FROM read_parquet('{exports.table_glob(publication, 'articles')}')")
    made = {}
    monkeypatch.setattr(publish, "PAGE_BATCH", 2)  # several batches, each part split
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    for mode, threshold in (("in_process", 10**9), ("workers", 1)):
        monkeypatch.setattr(publish, "PARALLEL_PAGES", threshold)
        out = tmp_path / mode
        out.mkdir()
        assert publish._article_pages(con, publication, out) == (4, 0)
        made[mode] = {f.name: f.read_bytes() for f in out.glob("*.html")}
        assert publish._article_pages(con, publication, out) == (0, 4)  # each page is written once
    con.close()
    assert len(made["workers"]) == 4 and made["workers"] == made["in_process"]
    assert made["in_process"] == {name: (built / "articles" / name).read_bytes() for name in made["in_process"]}


def test_corpus_pages_in_a_worker_beside_the_article_pages_equal_those_made_in_process(built, tmp_path, monkeypatch):
    """A full publication of a large corpus makes its corpus pages in a worker process running beside
    the article pages' workers; every page and script is the same as when all is made in process."""
    from pipelines import batch
    from pipelines.report import publish

    publication = built.parent
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    made = {}
    for mode, threshold in (("in_process", 10**9), ("workers", 1)):
        monkeypatch.setattr(publish, "PARALLEL_PAGES", threshold)
        folder = tmp_path / mode / "exports"
        shutil.copytree(publication, folder, ignore=shutil.ignore_patterns("html"))
        assert publish.write_pages(folder, batch.extractor_version())["written"] == 4
        html = folder / "html"
        made[mode] = {str(f.relative_to(html)): f.read_bytes() for f in html.rglob("*") if f.is_file()}
    assert len(made["workers"]) > 4 + 3 and made["workers"] == made["in_process"]
    assert made["workers"]["index.html"] == (built / "index.html").read_bytes()


def test_paragraph_text_is_escaped_exactly_as_markupsafe_escapes_it():
    from markupsafe import escape

    from pipelines.report.render import _escape

    for value in ["Ms Hale said “no” & <b>left</b>", "it's \"fine\"", "plain", "", "&amp;", None, 3]:
        assert _escape(value) == str(escape(value))
