"""Plain text of an HTML page by a streaming parser: the fallback when the main-text extractor fails.

trafilatura parses with libxml2, which gives up on documents nested deeper than
`LIBXML_MAX_DEPTH` levels and then returns nothing. Python's own `html.parser` has no depth limit
and reads in one pass, so text survives; the price is that boilerplate (menus, footers) may stay,
and the reader is told so by a warning row. Scripts, styles and obvious page furniture are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

LIBXML_MAX_DEPTH = 255  # libxml2's default nesting limit for HTML (raised only with its "huge" option)
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
_SKIP = frozenset(["script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form", "svg", "iframe"])
_BLOCK = frozenset(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "article", "section", "tr", "br", "pre", "figcaption", "dd", "dt"])
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BREAKS = re.compile(r"\s*\n\s*")


@dataclass(frozen=True, slots=True)
class HtmlText:
    text: str
    max_depth: int


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.max_depth = self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag in _VOID:
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag in _SKIP or self.skipping:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth = max(0, self.depth - 1)
        if self.skipping:
            self.skipping -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_SPACES.sub(" ", data))


def html_text(html: str) -> HtmlText:
    """Text of every block of `html`, one paragraph per block, and how deep the elements nest."""
    c = _Collector()
    c.feed(html)
    c.close()
    paragraphs = [p.strip() for p in _BREAKS.split("".join(c.parts))]
    return HtmlText("\n\n".join(p for p in paragraphs if p), c.max_depth)
