"""The stamps written beside the pages say what made them: the page files as the process read them."""

from __future__ import annotations

import shutil
from importlib import resources

import pytest

from pipelines.report import render, stamps


@pytest.fixture
def deployed(tmp_path, monkeypatch):
    """A copy of the page files that a test may change as a deploy would, read by fresh caches."""
    shutil.copytree(resources.files("pipelines.report"), tmp_path / "report",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamps.resources, "files", lambda package: tmp_path / "report")
    stamps.source.cache_clear()
    render._env.cache_clear()
    yield tmp_path / "report"
    stamps.source.cache_clear()
    render._env.cache_clear()


def _edit(folder, name: str, marker: str) -> None:
    page = folder / "templates" / name
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", f"<!-- {marker} --></main>"), encoding="utf-8")


def test_a_process_renders_and_stamps_the_page_files_it_first_read(deployed):
    _edit(deployed, "people.html", "first")
    stamp = stamps.stamps("v1")[1]
    assert "first" in render.people_page([])
    _edit(deployed, "people.html", "second")  # a deploy under a long-running server
    assert stamps.stamps("v1")[1] == stamp
    page = render.people_page([])
    assert "first" in page and "second" not in page


def test_other_page_files_make_another_stamp(deployed):
    before = stamps.stamps("v1")[1]
    _edit(deployed, "people.html", "changed")
    stamps.source.cache_clear()  # a new process
    assert stamps.stamps("v1")[1] != before
    assert stamps.stamps("v1")[0] == stamps.stamps("v1")[0]
