"""Format readers: plain text, Markdown with YAML front matter, and HTML (main text via trafilatura).

A reader never refuses an article for its metadata: a field it cannot use is left out and a
warning says what was ignored (kind `metadata`); text recovered by a fallback says so too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.ingest import frontmatter
from pipelines.ingest.documents import Notice
from pipelines.ingest.htmltext import LIBXML_MAX_DEPTH, html_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
MAX_FIELD_CHARS = 1000  # a title or date longer than this is not metadata


@dataclass(frozen=True, slots=True)
class Parsed:
    body: str
    title: str | None = None
    published_on: dt.date | None = None
    warnings: tuple[Notice, ...] = ()  # (kind, message) of what was ignored or repaired


def parse_date(value: object) -> dt.date | None:
    """A date from front matter or metadata: a date, a datetime or an ISO-like string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _title(meta: dict, warnings: list[Notice]) -> str | None:
    value = meta.get("title")
    if value is None or value == "":
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool) and len(str(value)) <= MAX_FIELD_CHARS:
        return str(value).strip() or None
    warnings.append(("metadata", f"front matter title {_shown(value)} is not a short piece of text; title ignored"))
    return None


def _published(meta: dict, warnings: list[Notice]) -> dt.date | None:
    key = "published" if meta.get("published") not in (None, "") else "date"
    value = meta.get(key)
    if value is None or value == "":
        return None
    date = parse_date(value)
    if date is None:
        warnings.append(("metadata", f"front matter {key} {_shown(value)} is not a valid date (YYYY-MM-DD); "
                                     "publication date left empty"))
    return date


def read_plain(text: str) -> Parsed:
    return Parsed(text)


def read_markdown(text: str) -> Parsed:
    """Front matter (title, published/date) is metadata, the rest is the body; `#` marks are dropped."""
    title = published = None
    warnings: list[Notice] = []
    m = _FRONT_MATTER.match(text)
    if m:
        meta, problems = frontmatter.load(m.group(1))
        warnings += [("metadata", p) for p in problems]
        if meta is not None:
            title = _title(meta, warnings)
            published = _published(meta, warnings)
        text = text[m.end():]
    body = _MD_HEADING.sub("", text)
    return Parsed(body, title, published, tuple(warnings))


def read_html(html: str) -> Parsed:
    """Main text and metadata of an HTML page; navigation, scripts and boilerplate are dropped.

    When the main-text extractor finds nothing in a page nested deeper than it can parse, the
    streaming fallback recovers the text and a warning says so.
    """
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else None
    published = parse_date(meta.date) if meta and meta.date else None
    warnings: tuple[Notice, ...] = ()  # (kind, message) of what was ignored or repaired
    if not body.strip():
        fallback = html_text(html)
        if fallback.max_depth > LIBXML_MAX_DEPTH and fallback.text:
            body = fallback.text
            warnings = (("html_fallback", f"HTML nested {fallback.max_depth} levels deep (the main-text extractor"
                                          f" stops at {LIBXML_MAX_DEPTH}); text recovered by the plain fallback"
                                          " parser, menus or footers may remain"),)
    return Parsed(body, title, published, warnings)


READERS = {".txt": read_plain, ".text": read_plain, ".md": read_markdown, ".markdown": read_markdown,
           ".html": read_html, ".htm": read_html}
