"""Time expressions: years, dates, relative expressions and event anchors, resolved where possible.

`In 2005`, `April 2004`, `Sept. 11, 2001`, `2016-09-12` are dates or years. `eight years later`
after `In 2010` resolves to 2018; `last year` resolves against the publication date when known.
`9/11` is an event anchored to 2001. Durations (`for twenty years`) are relative, with no year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], start=1)}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
               "nov": 11, "dec": 12})
NUMBERS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1})
EVENTS = {"9/11": 2001, "7/7": 2005, "26/11": 2008}

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + ")"
_UNITS = re.compile(r"(?i)\b(years?|months?|weeks?|days?|decades?)\b")
# read around a unit word (units are rare, so this is cheaper than scanning the text for numbers)
_COUNT_BEFORE = re.compile(rf"(?i)\b({_NUM})\s+$")
_DIRECTION_AFTER = re.compile(r"(?i)\s+(later|earlier|ago|after|before)\b")
_DEICTIC_BEFORE = re.compile(r"(?i)\b(last|next|this|previous|the following|the previous)\s+$")
_DURATION_BEFORE = re.compile(rf"(?i)\b(?:for|over|in|within|after)\s+(?:the\s+(?:past|last)\s+)?({_NUM})\s+$")
_ANCHOR_AFTER = re.compile(r"\s+(9/11|7/7|26/11|1[89]\d\d|20\d\d)\b")
WINDOW = 40
_PATTERNS = [
    ("event", re.compile(r"(?<![\w/])(?:9/11|7/7|26/11)(?![\w/])")),
    ("date", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("date", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("date", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b")),
    ("month", re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b")),
    ("year", re.compile(r"(?<![\w/$£€.,-])(1[89]\d{2}|20\d{2})(?![\w/%-]|,\d)")),
]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    start: int
    end: int
    kind: str  # date, year, relative, event
    year: int | None
    month: int | None
    anchor: str | None


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBERS.get(word)


def find_time_expressions(text: str, published_on: dt.date | None = None) -> list[TimeExpression]:
    """All time expressions in `text`, in order; overlapping matches keep the first, longest one."""
    found: list[tuple[int, int, str, object]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    found.extend(_relative_matches(text))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[TimeExpression] = []
    last_end = -1
    last_year: int | None = None
    for start, end, kind, m in found:
        if start < last_end:
            continue
        te = _resolve(kind, (start, end, m) if kind == "relative" else (start, end) if kind == "duration" else m,
                      last_year, published_on)
        if te is None:
            continue
        out.append(te)
        last_end = end
        if te.year is not None and te.kind in ("date", "year", "event"):
            last_year = te.year
    return out


def _relative_matches(text: str) -> list[tuple[int, int, str, object]]:
    """`eight years later`, `last year`, `for twenty years`: found from the unit word outwards."""
    out = []
    for u in _UNITS.finditer(text):
        unit = u.group(1).lower()
        lo = max(0, u.start() - WINDOW)
        before = text[lo:u.start()]
        count = _COUNT_BEFORE.search(before)
        direction = _DIRECTION_AFTER.match(text, u.end())
        if count and direction:
            anchor = _ANCHOR_AFTER.match(text, direction.end()) if direction.group(1).lower() in ("after", "before") else None
            groups = (count.group(1), unit, direction.group(1), anchor.group(1) if anchor else None)
            out.append((lo + count.start(), direction.end(), "relative", groups))
            continue
        deictic = _DEICTIC_BEFORE.search(before)
        if deictic and not unit.endswith("s"):
            out.append((lo + deictic.start(), u.end(), "relative", (deictic.group(1), unit)))
            continue
        duration = _DURATION_BEFORE.search(before)
        if duration:
            out.append((lo + duration.start(), u.end(), "duration", None))
    return out


def _resolve(kind: str, m, last_year: int | None, published_on: dt.date | None) -> TimeExpression | None:
    if kind == "duration":
        s, e = m
        return TimeExpression(s, e, "relative", None, None, None)
    if kind == "relative":
        s, e, groups = m
        return _resolve_relative(s, e, [g.lower() if g else g for g in groups], last_year, published_on)
    s, e = m.start(), m.end()
    if kind == "event":
        return TimeExpression(s, e, "event", EVENTS[m.group()], 9 if m.group() == "9/11" else None, m.group())
    if kind == "date":
        g = m.groups()
        if g[0].isdigit() and len(g[0]) == 4:
            year, month = int(g[0]), int(g[1])
        elif g[0].isdigit():
            year, month = int(g[2]), MONTHS[g[1].lower().rstrip(".")]
        else:
            year, month = int(g[2]), MONTHS[g[0].lower().rstrip(".")]
        return TimeExpression(s, e, "date", year, month if 1 <= month <= 12 else None, None)
    if kind == "month":
        return TimeExpression(s, e, "date", int(m.group(2)), MONTHS[m.group(1).lower().rstrip(".")], None)
    if kind == "year":
        return TimeExpression(s, e, "year", int(m.group(1)), None, None)
    return None


def _resolve_relative(s: int, e: int, g: list[str], last_year: int | None, published_on: dt.date | None) -> TimeExpression:
    if g[0] in ("last", "next", "this", "previous", "the following", "the previous"):
        if g[1] != "year" or published_on is None:
            return TimeExpression(s, e, "relative", None, None, "publication" if published_on else None)
        delta = {"last": -1, "previous": -1, "the previous": -1, "next": 1, "the following": 1, "this": 0}[g[0]]
        return TimeExpression(s, e, "relative", published_on.year + delta, None, "publication")
    n = _number(g[0])
    unit, direction = g[1], g[2]
    if len(g) > 3 and g[3]:  # "eight days after 9/11", "two years before 2016"
        base = EVENTS.get(g[3]) or int(g[3])
        if n is not None and unit.startswith("year"):
            base += n if direction == "after" else -n
        return TimeExpression(s, e, "relative", base, None, g[3])
    if n is None or not unit.startswith("year"):
        return TimeExpression(s, e, "relative", None, None, None)
    if direction == "ago":
        if published_on is None:
            return TimeExpression(s, e, "relative", None, None, None)
        return TimeExpression(s, e, "relative", published_on.year - n, None, "publication")
    if last_year is None:
        return TimeExpression(s, e, "relative", None, None, None)
    sign = 1 if direction in ("later", "after") else -1
    return TimeExpression(s, e, "relative", last_year + sign * n, None, str(last_year))
