"""The annotated article pages: rendered by the asset, escaped safely, checked in a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.defs.run import materialise
from tests.conftest import SEED

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
HOSTILE = ("Hostile page <script>alert('owned')</script>\n\n"
           "“We will <b>not</b> stop,” said Maria Lopez, a council member. The vote was <i>close</i>.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    seeds = root / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    assert materialise(seeds, root / "wh" / "claims.sqlite").success
    return root / "wh" / "exports" / "html"


def test_every_article_has_a_page_and_the_index_links_them(built):
    pages = sorted(p.name for p in built.glob("*.html"))
    assert "index.html" in pages and len(pages) == 3
    index = (built / "index.html").read_text()
    for p in pages:
        if p != "index.html":
            assert f'href="{p}"' in index


def test_article_text_is_escaped(built):
    hostile = next(p for p in built.glob("*.html") if "Hostile" in p.read_text())
    html = hostile.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>not</b>" not in html


def test_page_is_self_contained(built):
    for page in built.glob("*.html"):
        html = page.read_text()
        assert "http://" not in html and "https://" not in html and "<link" not in html


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=900, env=env)
    return shutil.which("chromium")


def test_in_a_real_browser(built):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("no Chromium on this machine and it could not be installed with apt-get")
    page_file = next(p for p in built.glob("*.html") if "Musharraf" in p.read_text())
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            for width, name in ((1280, "article.png"), (390, "article-phone.png")):
                page = browser.new_page(viewport={"width": width, "height": 1000})
                page.goto(page_file.as_uri())
                quotes = page.locator("article span.q[title]")
                assert quotes.count() >= 10
                assert "Musharraf" in (quotes.first.get_attribute("title") or "")
                assert page.locator("#panel #sources li").count() >= 5
                assert page.locator("p.pull_quote").count() == 2
                assert page.locator("p.headline").count() == 1
                # on a phone the panel moves under the text instead of squeezing it
                if width < 500:
                    article_box = page.locator("#article").bounding_box()
                    assert article_box and article_box["width"] > 300
                page.screenshot(path=str(ARTIFACTS / name), full_page=False)
                page.close()
        finally:
            browser.close()
    assert (ARTIFACTS / "article.png").stat().st_size > 10_000
