"""Time expressions: what period each date, year, weekday, season or relative phrase names.

`find_time_expressions(text, published_on)` finds the expressions (`timex_patterns`) and resolves
each, in reading order, to an interval of dates with a granularity (`timecal`):
`14 May 2024`, `14/05/2024` and `May 14` are days; `last week` the Monday-to-Sunday week before
publication; `early next month` the first third of the month after it; `eight years later` after
`In 2010` is 2018; `Tuesday` is the Tuesday on or before publication (after it when the sentence
speaks of the future). What cannot be placed keeps `unresolved_reason`: `no_publication_date`,
`no_earlier_date` (`a week later` with nothing before it), `anchor_too_coarse`, `duration` (a
length of time, not a place in time) or `vague` (`recent years`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.text import timecal as cal
from pipelines.text import timex_patterns as tp
from pipelines.text.timecal import Period

EVENTS = {"9/11": dt.date(2001, 9, 11), "7/7": dt.date(2005, 7, 7), "26/11": dt.date(2008, 11, 26)}
KIND_OF_FORM = {"event": "event", "iso": "date", "numeric": "date", "mdy": "date", "dmy": "date", "month_year": "date",
                "ordinal_day": "date", "decade": "decade", "year": "year", "year_range": "range", "day_range": "range",
                "quarter": "quarter", "season": "season", "month": "month", "weekday": "weekday",
                "dayword": "relative", "offset": "relative", "in_n": "relative", "deictic": "relative",
                "the_unit": "relative", "vague": "relative", "span_n": "duration", "duration": "duration"}
YEAR_CARRY_CHARS = 300  # "In April 2004 ... In May": a month without a year takes a year written this close before
TWO_DIGIT_YEAR_PIVOT = 50  # "05" is 2005, "98" is 1998
_FUTURE = re.compile(r"(?i)\b(?:will|shall|(?:is|are)\s+(?:set|expected|scheduled|going)\s+to|(?:is|are)\s+due|"
                     r"plans?\s+to|upcoming)\b|\w['’]ll\b")
# British spelling or style: `Mr X`/`Mrs X` without a stop, a pound sign, or a word ending `-ised`/`-isation`
# (each pattern opens with a letter, the boundary checked after it, so that a search skips to that letter)
_BRITISH_TITLE = re.compile(r"M(?<!\wM)r?s? [A-Z]")
_BRITISH_SPELLING = re.compile(r"i(?<=\wi)(?:sation|sed)\b")
_RANGE_GLUE = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*")
_RANGE_OPENER = re.compile(r"(?i)\b(from|between)\s+$")
_ANCHOR_AHEAD = re.compile(r"[^,.;:!?]{0,80}?(?<![\w/])(9/11|7/7|26/11|1[6-9]\d\d|20\d\d)(?![\w/])")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen record is three times slower to make
class TimeExpression:
    start: int
    end: int
    kind: str  # date, year, month, weekday, season, quarter, decade, relative, range, duration, event
    year: int | None
    month: int | None
    anchor: str | None  # `publication`, an event (`9/11`) or the year a relative expression counts from
    resolved_start: dt.date | None = None
    resolved_end: dt.date | None = None
    granularity: str | None = None  # day, week, month, season, quarter, year, decade
    unresolved_reason: str | None = None


@dataclass(slots=True)
class _Resolution:
    period: Period | None = None
    granularity: str | None = None
    anchor: str | None = None
    reason: str | None = None
    month: int | None = None  # the month named, when its year is unknown


@dataclass(slots=True)
class _Context:
    text: str
    published_on: dt.date | None
    day_first: bool
    last: tuple[Period, str] | None = None  # the latest resolved place in time, with its granularity
    last_year: tuple[int, int] | None = None  # (year, offset) of the latest year written out

    def future(self, pos: int) -> bool:
        """The sentence around `pos` speaks of the future (`will`, `is due to`)."""
        a = max(self.text.rfind(".", 0, pos), self.text.rfind("\n", 0, pos)) + 1
        b = min((k for k in (self.text.find(".", pos), self.text.find("\n", pos)) if k >= 0), default=len(self.text))
        return bool(_FUTURE.search(self.text, a, b))

    def year_near(self, pos: int) -> int | None:
        """A year written shortly before `pos` in the same paragraph."""
        if self.last_year and pos - self.last_year[1] <= YEAR_CARRY_CHARS and "\n" not in self.text[self.last_year[1]:pos]:
            return self.last_year[0]
        return None


def _day_first(text: str) -> bool:
    """Are numeric dates day first (`14/05/2024`)? Unless the text is American in style (`Mr.`) and shows
    nothing British."""
    return "Mr." not in text or "£" in text or bool(_BRITISH_TITLE.search(text) or _BRITISH_SPELLING.search(text))


def find_time_expressions(text: str, published_on: dt.date | None = None) -> list[TimeExpression]:
    """All time expressions in `text`, in reading order, each resolved where the text allows."""
    ctx = _Context(text, published_on, day_first=_day_first(text))
    out: list[TimeExpression] = []
    for c in tp.find_candidates(text):
        res = _resolve(c, ctx)
        if res.period and c.part:
            res.period = _apply_part(res.period, c.part, ctx.published_on)
        kind = _kind(c, res)
        out.append(_expression(c.start, c.end, kind, res))
        if res.period and kind not in ("duration", "range"):
            ctx.last = (res.period, res.granularity)
        if c.groups.get("y"):
            ctx.last_year = (int(c.groups["y"]), c.start)
    return _merge_ranges(text, out)


def _kind(c: tp.Candidate, res: _Resolution) -> str:
    """The form's kind; a named weekday, month or season with `last`/`next` is relative, a look-back a duration."""
    if res.reason == "duration":
        return "duration"
    kind = KIND_OF_FORM[c.form]
    return "relative" if c.deictic and kind in ("weekday", "month", "season", "quarter") else kind


def _expression(start: int, end: int, kind: str, res: _Resolution) -> TimeExpression:
    year, month = None, res.month
    if res.period:
        a, b = res.period
        year = a.year if a.year == b.year else None
        month = a.month if year and a.month == b.month else None
    reason = None if res.period else res.reason or "no_publication_date"
    return TimeExpression(start, end, kind, year, month, res.anchor, res.period[0] if res.period else None,
                          res.period[1] if res.period else None, res.granularity if res.period else None, reason)


def _apply_part(p: Period, part: str, today: dt.date | None) -> Period:
    if part in ("earlier", "later"):
        if today is None or not p[0] <= today <= p[1]:
            return p
        return (p[0], today) if part == "earlier" else (today, p[1])
    return cal.part_of(p, part, today)


def _resolve(c: tp.Candidate, ctx: _Context) -> _Resolution:
    return _RESOLVERS[c.form](c, ctx)


def _pub(ctx: _Context, period: Period | None, granularity: str) -> _Resolution:
    return _Resolution(period, granularity, "publication") if period else _Resolution(reason="no_publication_date")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(year: int | None, month: int, day: int, anchor: str | None) -> _Resolution:
    d = _safe_date(year, month, day) if year else None
    if d is None:
        return _Resolution(reason="invalid_date" if year else "no_publication_date", month=month)
    return _Resolution((d, d), "day", anchor)


def _year_for(month: int, c: tp.Candidate, ctx: _Context) -> tuple[int | None, str | None]:
    """The year of a month written without one: a year just written, else the publication date."""
    if c.groups.get("y"):
        return int(c.groups["y"]), None
    near = ctx.year_near(c.start)
    if near is not None and not c.deictic:
        return near, str(near)
    pub = ctx.published_on
    if pub is None:
        return None, None
    if c.deictic in ("last", "previous", "past"):
        return (pub.year if month < pub.month else pub.year - 1), "publication"
    if c.deictic in ("next", "coming", "following"):
        return (pub.year if month > pub.month else pub.year + 1), "publication"
    if c.deictic in ("this", "current") or month == pub.month:
        return pub.year, "publication"
    if ctx.future(c.start):
        return (pub.year if month > pub.month else pub.year + 1), "publication"
    return (pub.year if month < pub.month else pub.year - 1), "publication"


def _r_event(c, ctx):
    d = EVENTS[c.groups["ev"]]
    return _Resolution((d, d), "day", c.groups["ev"])


def _r_iso(c, ctx):
    return _day(int(c.groups["y"]), int(c.groups["m"]), int(c.groups["d"]), None)


def _r_numeric(c, ctx):
    a, b, y = int(c.groups["a"]), int(c.groups["b"]), int(c.groups["y"])
    if y < 100:
        y += 2000 if y < TWO_DIGIT_YEAR_PIVOT else 1900
    day_first = a > 12 or (b <= 12 and ctx.day_first)
    return _day(y, b if day_first else a, a if day_first else b, None)


def _r_day_month(c, ctx):
    month = tp.month_number(c.groups["mon"])
    year, anchor = _year_for(month, c, ctx)
    return _day(year, month, int(c.groups["d"]), anchor)


def _r_month_year(c, ctx):
    return _Resolution(cal.month_period(int(c.groups["y"]), tp.month_number(c.groups["mon"])), "month")


def _r_ordinal_day(c, ctx):
    """`the 14th`: that day of the month last written, else of the publication month."""
    day = int(c.groups["d"])
    if ctx.last and ctx.last[1] in ("day", "month"):
        start = ctx.last[0][0]
        return _day(start.year, start.month, day, None)
    pub = ctx.published_on
    if pub is None:
        return _Resolution(reason="no_publication_date")
    ref = pub if day <= pub.day or ctx.future(c.start) else cal.shift(pub.replace(day=1), -1, "month")
    return _day(ref.year, ref.month, day, "publication")


def _r_decade(c, ctx):
    if c.groups.get("dec"):
        start = int(c.groups["dec"])
    else:
        two = int(c.groups["dec2"])
        start = (2000 if two < TWO_DIGIT_YEAR_PIVOT - 30 else 1900) + two
    return _Resolution((dt.date(start, 1, 1), dt.date(start + 9, 12, 31)), "decade")


def _r_year(c, ctx):
    return _Resolution(cal.year_period(int(c.groups["y"])), "year")


def _r_year_range(c, ctx):
    y1, y2 = int(c.groups["y"]), c.groups["y2"]
    end = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
    if end <= y1:
        return _Resolution(reason="invalid_date")
    return _Resolution((dt.date(y1, 1, 1), dt.date(end, 12, 31)), "year")


def _r_day_range(c, ctx):
    month = tp.month_number(c.groups["mon"])
    year, anchor = _year_for(tp.month_number(c.groups["mon2"]) if c.groups.get("mon2") else month, c, ctx)
    month2 = tp.month_number(c.groups["mon2"]) if c.groups.get("mon2") else month
    a = _safe_date(year - (month2 < month), month, int(c.groups["d"])) if year else None
    b = _safe_date(year, month2, int(c.groups["d2"])) if year else None
    if a is None or b is None or b < a:
        return _Resolution(reason="no_publication_date" if year is None else "invalid_date")
    return _Resolution((a, b), "day", anchor)


def _r_quarter(c, ctx):
    q = int(c.groups["qn"]) if c.groups.get("qn") else tp.ordinal_value(c.groups["q"])
    if c.groups.get("y"):
        return _Resolution(cal.quarter_period(q, int(c.groups["y"])), "quarter")
    pub = ctx.published_on
    if c.groups.get("this") and pub:
        return _pub(ctx, cal.quarter_period(q, pub.year), "quarter")  # "the first quarter of the year"
    if c.groups.get("q", "").lower() == "last" and not c.groups.get("the"):
        return _pub(ctx, cal.period_of("quarter", cal.shift(pub, -1, "quarter")) if pub else None, "quarter")
    near = ctx.year_near(c.start)
    if near is not None:
        return _Resolution(cal.quarter_period(q, near), "quarter", str(near))
    if pub is None:
        return _Resolution(reason="no_publication_date")
    year = pub.year if cal.quarter_period(q, pub.year)[0] <= pub else pub.year - 1
    return _pub(ctx, cal.quarter_period(q, year), "quarter")


def _nearest_named(periods: list[Period], pub: dt.date, deictic: str | None, future: bool) -> Period:
    """Of a season's (or weekday's) occurrences around publication, the one the words point to."""
    if deictic in ("last", "previous", "past"):
        return max(p for p in periods if p[1] < pub)
    if deictic in ("next", "coming", "following"):
        return min(p for p in periods if p[0] > pub)
    current = [p for p in periods if p[0] <= pub <= p[1]]
    if current:
        return current[0]
    if deictic in ("this", "current") or future:
        return min(p for p in periods if p[0] > pub)
    return max(p for p in periods if p[1] < pub)


def _r_season(c, ctx):
    sm = tp.season_month(c.groups["season"])
    if c.groups.get("y"):
        return _Resolution(cal.season_period(sm, int(c.groups["y"])), "season")
    near = ctx.year_near(c.start)
    if near is not None and not c.deictic:
        return _Resolution(cal.season_period(sm, near), "season", str(near))
    pub = ctx.published_on
    if pub is None:
        return _Resolution(reason="no_publication_date")
    periods = [cal.season_period(sm, y) for y in range(pub.year - 2, pub.year + 2)]
    return _pub(ctx, _nearest_named(periods, pub, c.deictic, ctx.future(c.start)), "season")


def _r_month(c, ctx):
    month = tp.month_number(c.groups["mon"])
    year, anchor = _year_for(month, c, ctx)
    if year is None:
        return _Resolution(reason="no_publication_date", month=month)
    return _Resolution(cal.month_period(year, month), "month", anchor)


def _r_weekday(c, ctx):
    pub = ctx.published_on
    if pub is None:
        return _Resolution(reason="no_publication_date")
    wd = tp.weekday_number(c.groups["wd"])
    if c.deictic in ("last", "previous", "past"):
        d = cal.next_weekday(pub - dt.timedelta(days=1), wd, future=False)
    elif c.deictic in ("next", "coming", "following"):
        d = cal.next_weekday(pub, wd, future=True)
    elif c.deictic in ("this", "current"):
        d = cal.period_of("week", pub)[0] + dt.timedelta(days=wd)
    elif wd == pub.weekday():
        d = pub  # "said Thursday" in Thursday's paper: that day
    else:
        d = cal.next_weekday(pub, wd, future=ctx.future(c.start))
    return _pub(ctx, (d, d), "day")


def _r_dayword(c, ctx):
    pub = ctx.published_on
    word = " ".join(c.groups["dw"].lower().split())
    delta = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return _pub(ctx, (pub + dt.timedelta(days=delta),) * 2 if pub else None, "day")


def _count(c: tp.Candidate) -> tuple[int | None, str]:
    return tp.number_value(c.groups["n"]), tp.unit_of(c.groups["unit"])


def _r_offset(c, ctx):
    """`two years ago`, `eight years later`, `eight days after 9/11`."""
    n, unit = _count(c)
    if not n:
        return _Resolution(reason="vague")
    direction = " ".join(c.groups["dir"].lower().split())
    gran = "year" if unit in ("decade", "century") else cal.granularity_of(unit)
    if direction in ("ago", "from now", "hence"):
        pub = ctx.published_on
        day = cal.shift(pub, -n if direction == "ago" else n, unit) if pub else None
        return _pub(ctx, cal.period_of(gran, day) if day else None, gran)
    sign = -1 if direction in ("earlier", "before", "previously") else 1
    base, anchor = _offset_base(c, ctx, direction)
    if base is None:
        return _Resolution(reason="no_earlier_date")
    (start, _), base_gran = base
    if cal.COARSENESS[base_gran] > cal.COARSENESS[gran]:
        return _Resolution(reason="anchor_too_coarse", anchor=anchor)
    return _Resolution(cal.period_of(gran, cal.shift(start, sign * n, unit)), gran, anchor)


def _offset_base(c: tp.Candidate, ctx: _Context, direction: str):
    """What `N units after/later` counts from: the year or event named next in the clause, else the last date."""
    if direction in ("after", "before"):
        m = _ANCHOR_AHEAD.match(ctx.text, c.end)
        if m:
            word = m.group(1)
            if word in EVENTS:
                return ((EVENTS[word], EVENTS[word]), "day"), word
            return (cal.year_period(int(word)), "year"), word
    if ctx.last is None:
        return None, None
    start = ctx.last[0][0]
    return ctx.last, str(start.year) if ctx.last[1] == "year" else start.isoformat()


def _r_in_n(c, ctx):
    n, unit = _count(c)
    if tp.lookback_before(ctx.text, c.start):
        return _Resolution(reason="duration")
    if not n:
        return _Resolution(reason="vague")
    pub, gran = ctx.published_on, cal.granularity_of(unit)
    return _pub(ctx, cal.period_of(gran, cal.shift(pub, n, unit)) if pub else None, gran)


def _r_span_n(c, ctx):
    """`the past five years`: the span ending at publication; `the following two weeks` after the last date."""
    n, unit = _count(c)
    deictic, gran = c.groups["deic"].lower(), cal.granularity_of(unit)
    if not n or deictic == "first":
        return _Resolution(reason="duration" if n else "vague")
    if deictic in ("previous", "following"):
        if ctx.last is None:
            return _Resolution(reason="no_earlier_date")
        p = ctx.last[0]
        span = (cal.shift(p[0], -n, unit), p[0]) if deictic == "previous" else (p[1], cal.shift(p[1], n, unit))
        return _Resolution(span, gran, p[0].isoformat())
    pub = ctx.published_on
    if pub is None:
        return _Resolution(reason="no_publication_date")
    span = (cal.shift(pub, -n, unit), pub) if deictic in ("past", "last") else (pub, cal.shift(pub, n, unit))
    return _pub(ctx, span, gran)


def _r_deictic(c, ctx):
    """`last week`, `this year`, `next month`; `the following year` counts from the last date written."""
    deictic, unit = c.groups["deic"].lower(), tp.unit_of(c.groups["unit"])
    gran = cal.granularity_of(unit)
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "following": 1}.get(deictic, 0)
    if c.groups.get("the") and deictic in ("next", "following", "previous"):
        if ctx.last is None:
            return _Resolution(reason="no_earlier_date")
        if cal.COARSENESS[ctx.last[1]] > cal.COARSENESS[gran]:
            return _Resolution(reason="anchor_too_coarse")  # "the next day" after "in 2001"
        base = ctx.last[0][0] if step < 0 else ctx.last[0][1]
        return _Resolution(cal.period_of(gran, cal.shift(base, step, unit)), gran, ctx.last[0][0].isoformat())
    pub = ctx.published_on
    if pub is None:
        return _Resolution(reason="no_publication_date")
    if deictic == "past" or (c.groups.get("the") and deictic == "last"):
        return _pub(ctx, (cal.shift(pub, -1, unit), pub), gran)  # "the past week", "the last year": up to now
    return _pub(ctx, cal.period_of(unit if unit != "fortnight" else "week", cal.shift(pub, step, unit)), gran)


def _r_the_unit(c, ctx):
    """`the end of the year`: the period of publication (a part is always written before it)."""
    unit = tp.unit_of(c.groups["unit"])
    pub = ctx.published_on
    return _pub(ctx, cal.period_of(unit, pub) if pub else None, cal.granularity_of(unit))


def _r_vague(c, ctx):
    return _Resolution(reason="vague")


def _r_duration(c, ctx):
    return _Resolution(reason="duration")


_RESOLVERS = {"event": _r_event, "iso": _r_iso, "numeric": _r_numeric, "mdy": _r_day_month, "dmy": _r_day_month,
              "month_year": _r_month_year, "ordinal_day": _r_ordinal_day, "decade": _r_decade, "year": _r_year,
              "year_range": _r_year_range, "day_range": _r_day_range, "quarter": _r_quarter, "season": _r_season,
              "month": _r_month, "weekday": _r_weekday, "dayword": _r_dayword, "offset": _r_offset,
              "in_n": _r_in_n, "span_n": _r_span_n, "vague": _r_vague, "deictic": _r_deictic,
              "the_unit": _r_the_unit, "duration": _r_duration}


def _merge_ranges(text: str, found: list[TimeExpression]) -> list[TimeExpression]:
    """`from 2010 to 2015`, `between March and May`, `Monday to Friday`: two ends joined into one range."""
    out: list[TimeExpression] = []
    for te in found:
        prev = out[-1] if out else None
        if prev is None or prev.kind in ("duration", "range") or te.kind == "duration":
            out.append(te)
            continue
        glue = text[prev.end:te.start]
        opener = _RANGE_OPENER.search(text, max(0, prev.start - 10), prev.start)
        if not _RANGE_GLUE.fullmatch(glue) or (glue.strip() == "and" and not (opener and opener.group(1).lower() == "between")):
            out.append(te)
            continue
        out[-1] = _range(opener.start() if opener else prev.start, te.end, _with_year_of(prev, te), te)
    return out


def _with_year_of(first: TimeExpression, last: TimeExpression) -> TimeExpression:
    """`March to May 2005`: a month without its year takes the year of the range's end."""
    if first.kind != "month" or last.resolved_start is None or first.month is None:
        return first
    month = first.month
    year = last.resolved_start.year - (1 if month > last.resolved_start.month else 0)
    a, b = cal.month_period(year, month)
    return TimeExpression(first.start, first.end, first.kind, year, month, first.anchor, a, b, "month", None)


def _range(start: int, end: int, first: TimeExpression, last: TimeExpression) -> TimeExpression:
    if first.resolved_start is None or last.resolved_end is None or last.resolved_end < first.resolved_start:
        reason = first.unresolved_reason or last.unresolved_reason or "invalid_date"
        return TimeExpression(start, end, "range", None, None, first.anchor or last.anchor, unresolved_reason=reason)
    a, b = first.resolved_start, last.resolved_end
    year = a.year if a.year == b.year else None
    month = a.month if year and a.month == b.month else None
    return TimeExpression(start, end, "range", year, month, first.anchor or last.anchor, a, b,
                          first.granularity, None)
