"""Format readers: plain text, Markdown with YAML front matter, and HTML (main text via trafilatura)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Parsed:
    body: str
    title: str | None = None
    published_on: dt.date | None = None
    warning: str | None = None


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


def read_plain(text: str) -> Parsed:
    return Parsed(text)


def read_markdown(text: str) -> Parsed:
    """Front matter (title, published/date) is metadata, the rest is the body; `#` marks are dropped."""
    title = published = None
    warning = None
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            meta = None
            warning = f"front matter is not valid YAML and was ignored ({str(exc).splitlines()[0]})"
        if isinstance(meta, dict):
            title = str(meta["title"]).strip() if meta.get("title") else None
            published = parse_date(meta.get("published") or meta.get("date"))
        text = text[m.end():]
    body = _MD_HEADING.sub("", text)
    return Parsed(body, title, published, warning)


def read_html(html: str) -> Parsed:
    """Main text and metadata of an HTML page; navigation, scripts and boilerplate are dropped."""
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else None
    published = parse_date(meta.date) if meta and meta.date else None
    return Parsed(body, title, published)


READERS = {".txt": read_plain, ".text": read_plain, ".md": read_markdown, ".markdown": read_markdown,
           ".html": read_html, ".htm": read_html}
