"""Quotation detection: spans inside quotation marks, with nesting and multi-paragraph quotes.

Handles curly and straight double quotes, single quotes used as quotation marks, and apostrophes
that look like closing single quotes (`Generals’ calls`, `’90s`, `Pakistan’s`), which are not
quotes. A quote left open at the end of a paragraph is cut there: when the next paragraph opens
with a quotation mark it is the newspaper convention for a quote running over several paragraphs
(`continues`), otherwise the quote is flagged `unclosed`. Nothing here raises on unbalanced marks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‚‹"
SINGLE_CLOSE = "’›"
ALL_MARKS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'")
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/:;“‘\"'")
_SINGLE_CLOSERS = re.compile("[" + SINGLE_CLOSE + "']")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts
_MARK = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen record is three times slower to make
class Quote:
    """Text inside one pair of quotation marks (marks excluded), within one paragraph."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when cut at the paragraph end
    paragraph_no: int
    depth: int  # 0 for a top-level quote, 1 for a quote inside a quote
    double: bool
    unclosed: bool = False
    continues: bool = False  # runs on into the next paragraph (newspaper convention)
    continued: bool = False  # continues a quote left open in the previous paragraph


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


SHORT_PLURAL_CLOSER = 60  # a plural possessive (`Generals’ `) closes a single quote only this near


class _Closers:
    """Where plausible closing single marks stand in one paragraph, found in one pass.

    Asked for every opening candidate, a forward scan per mark made a sentence full of
    apostrophes quadratic; the positions are listed once and searched by bisection instead.
    """

    def __init__(self, text: str, start: int, end: int):
        self.always: list[int] = []  # closes a quote opened anywhere before it
        self.near: list[int] = []  # `s’ ` closes only a quote opened at most SHORT_PLURAL_CLOSER before
        for m in _SINGLE_CLOSERS.finditer(text, start, end):
            j = m.start()
            before = text[j - 1] if j > 0 else " "
            after = text[j + 1] if j + 1 < end else " "
            if before.isspace() or _is_letter(after):
                continue
            (self.near if before in "sS" and after == " " else self.always).append(j)

    def after(self, i: int) -> bool:
        """Is there a plausible closing single mark at or after `i` (the character after the opener)?"""
        if self.always and self.always[-1] >= i:
            return True
        k = bisect.bisect_left(self.near, i)
        return k < len(self.near) and self.near[k] - i <= SHORT_PLURAL_CLOSER


def _classify(text: str, i: int, start: int, end: int, single_open: bool, closers: _Closers) -> str | None:
    """'open', 'close' or None (not a quotation mark here) for the mark at `text[i]`."""
    ch = text[i]
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if ch in DOUBLE_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE:
        # a closing mark typed at the start of a line or paragraph ("”Mr. Trump embodies …") opens
        return "open" if prev in "\n " and i == start and not nxt.isspace() else "close"
    if ch == '"':
        if prev in _OPENING_CONTEXT and not nxt.isspace():
            return "open"
        return "close"
    # single marks: apostrophes are far more common than quotation marks
    if _is_letter(prev) and _is_letter(nxt):
        return None  # don't, Pakistan’s
    if ch in SINGLE_OPEN or ch == "'" or ch in SINGLE_CLOSE:
        if prev in _OPENING_CONTEXT and _is_letter(nxt):
            if nxt.isdigit() and ch != "‘":
                return None  # ’90s
            if ch in SINGLE_CLOSE:
                return None  # ’em, ’tis
            return "open" if closers.after(i + 1) else None
        if single_open and not prev.isspace() and not _is_letter(nxt):
            return "close"
    return None


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[Quote]:
    """All quotes in `text`, paragraph by paragraph, in order of their opening mark."""
    quotes: list[Quote] = []
    carried = False  # the previous paragraph left a quote open and this one reopens it
    for p_no, (pa, pb) in enumerate(paragraphs):
        stack: list[tuple[int, bool]] = []  # (open mark position, is double)
        widths: dict[int, int] = {}  # open mark position -> width of the mark (2 for '')
        found: list[Quote] = []
        closers = _Closers(text, pa, pb)
        i = pa - 1
        while True:
            mark = _MARK.search(text, i + 1, pb)  # the next quotation mark or apostrophe (not every character)
            if mark is None:
                break
            i = mark.start()
            ch = text[i]
            width = 1
            if ch == "'" and i + 1 < pb and text[i + 1] == "'":
                # two apostrophes stand for a double quotation mark in some newspaper archives
                width = 2
                prev = text[i - 1] if i > pa else " "
                nxt = text[i + 2] if i + 2 < pb else " "
                kind = "open" if prev in _OPENING_CONTEXT and not nxt.isspace() else "close"
                double = True
            else:
                # open marks alternate in kind (a second of the same kind replaces the first), so a
                # single one is open when it is on top or anything lies under a double one
                single_open = bool(stack) and (not stack[-1][1] or len(stack) > 1)
                kind = _classify(text, i, pa, pb, single_open, closers)
                double = ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == '"'
            if kind is None:
                continue
            if kind == "open":
                if stack and stack[-1][1] == double:
                    # same kind opened twice: the earlier one was never closed
                    o, d = stack.pop()
                    a, b = _trimmed(text, o + widths.pop(o, 1), i)
                    if b > a:
                        found.append(Quote(a, b, o, None, p_no, len(stack), d, unclosed=True))
                stack.append((i, double))
                widths[i] = width
                i += width - 1
            else:
                # close the innermost quote of this kind
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][1] == double:
                        o, d = stack[k]
                        del stack[k:]
                        a, b = _trimmed(text, o + widths.pop(o, 1), i)
                        if b > a:
                            cont = carried and o == pa and not found and k == 0
                            found.append(Quote(a, b, o, i, p_no, k, d, continued=cont))
                        break
                i += width - 1
        next_opens = p_no + 1 < len(paragraphs) and text[paragraphs[p_no + 1][0]] in '“"‘\'«'
        carried_now = False
        while stack:
            o, d = stack.pop()
            a, b = _trimmed(text, o + widths.pop(o, 1), pb)
            runs_on = next_opens and len(stack) == 0
            if b > a:
                found.append(
                    Quote(a, b, o, None, p_no, len(stack), d, unclosed=not runs_on, continues=runs_on,
                          continued=carried and o == pa)
                )
            carried_now = carried_now or runs_on
        carried = carried_now
        quotes.extend(sorted(found, key=lambda q: q.open_mark))
    return [q for q in quotes if _ALNUM.search(text, q.start, q.end)]
