"""Finding time expressions: one pattern per written form, modifiers read leftwards, best span kept.

Each pattern has a name (`dmy` for `14 May 2024`, `deictic` for `last week`, ...) and named
groups; `find_candidates` returns the leftmost-longest matches that do not overlap, each grown to
the left by a deictic word (`last`, `next`, `this`) and a part of the period (`early`, `mid-`,
`the end of`) when the text has one. Resolution to dates is `timex.py`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.text import lexicon
from pipelines.text.fast_patterns import by_first_letter, word_start

YEAR = r"(?:1[6-9]\d\d|20\d\d)"
UNITS = r"(?:days?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies))"
# a month name that can also be a verb, a noun or a surname needs a calendar word before it
AMBIGUOUS_MONTHS = frozenset({"may", "march"})
# a season word that can also be a noun or a verb ("a spring", "prices fall") likewise
AMBIGUOUS_SEASONS = frozenset({"spring", "fall"})
CALENDAR_CONTEXT = frozenset({"in", "by", "since", "until", "till", "from", "through", "during", "before", "after", "of",
                              "early", "late", "mid", "last", "next", "this", "on", "between", "and", "to", "or",
                              "throughout", "that", "the", "each", "every", "end", "start", "beginning",
                              "around", "past", "coming", "previous", "following", "over"})
# "the highest in five years" looks back; "in five years" alone looks forward
LOOKBACK_WORDS = re.compile(r"(?i)\b(?:first|highest|lowest|biggest|largest|smallest|fastest|slowest|worst|best|most|"
                            r"least|time|strongest|weakest|only|once|twice|times)\W+(?:\w+\W+){0,2}$")
_DEICTIC_BEFORE = re.compile(r"(?i)\b(?:the\s+)?(last|next|this|past|coming|previous|following|current)\s+$")
_PART_BEFORE = re.compile(
    r"(?i)\b(early|mid|late|earlier|later|the\s+(?:start|beginning|end|middle|turn|rest|first\s+half|second\s+half)"
    r"\s+of(?:\s+the)?)(?:\s+|-)$")
LOOK_BACK_CHARS = 40
# Forms built around a unit word or a decade are only tried near one: the text is scanned once for the
# trigger, then each pattern runs on a window around it (the windows cover the longest form).
WINDOW_BEFORE, WINDOW_AFTER = 60, 40
# Triggers marked LOWER run on the lower-cased text as plain alternations: a (?i) pattern opening with
# \b is tried at every position and scans several times slower (profiled on the PolNeAR dev texts).
LOWER = "lower"

TRIGGER_PATTERNS = {"unit": (re.compile(r"day|week|fortnight|month|quarter|year|decade|centur"), LOWER),
                    "decade": (re.compile(r"\d0['’]?s\b"), None),
                    "month": (re.compile(word_start("(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")), None),
                    "quarter": (re.compile(r"quarter|q(?<!\wq)[1-4]\b"), LOWER),
                    "ordinal": (re.compile(r"\d(?:st|nd|rd|th)\b"), None),
                    "numeric": (re.compile(r"\d[/.]\d"), None),
                    "season": (re.compile(r"spring|summer|autumn|fall|winter"), LOWER),
                    "dayword": (re.compile(r"yesterday|today|tomorrow|tonight|night|morning|afternoon|evening"), LOWER),
                    "year": (re.compile(YEAR), None)}
TRIGGERS = {"offset": "unit", "in_n": "unit", "span_n": "unit", "vague": "unit", "deictic": "unit", "the_unit": "unit",
            "duration": "unit", "decade": "decade", "mdy": "month", "dmy": "month", "month_year": "month",
            "day_range": "month", "month": "month", "quarter": "quarter", "ordinal_day": "ordinal",
            "numeric": "numeric", "event": "numeric", "season": "season", "dayword": "dayword", "year": "year",
            "year_range": "year"}


@cache
def _words(category: str) -> dict[str, int]:
    return {k: int(v[1]) if v[1].isdigit() else v[1] for k, v in lexicon.table("time_words").items() if v[0] == category}


def number_value(word: str) -> int | None:
    """`eight` -> 8, `12` -> 12, `a` -> 1; `several`, `few` -> 0 (a count with no value)."""
    w = word.lower().replace("a couple of", "couple").split()[-1]
    return int(w) if w.isdigit() else _words("number").get(w)


def month_number(word: str) -> int:
    return _words("month")[word.lower().rstrip(".")]


def weekday_number(word: str) -> int:
    return _words("weekday")[word.lower()]


def season_month(word: str) -> int:
    return _words("season")[word.lower()]


def ordinal_value(word: str) -> int:
    return _words("ordinal")[word.lower()]


def unit_of(word: str) -> str:
    w = word.lower()
    return "century" if w.startswith("centur") else _words("unit").get(w, w.rstrip("s"))


def _alternation(category: str, capitalised: bool, abbreviations: bool = True) -> str:
    out = []
    for w in sorted(_words(category), key=len, reverse=True):
        full = len(w) > 4 or w in ("may", "june", "july")
        if not full and not abbreviations:
            continue
        form = w.capitalize() if capitalised else w
        out.append(form if full else form + r"\.?")
    return "(?:" + "|".join(out) + ")"


@cache
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    mon = _alternation("month", True)
    mon_full = _alternation("month", True, abbreviations=False)
    wd = _alternation("weekday", True)
    num = by_first_letter([*sorted((w for w in _words("number") if w not in ("a", "an")), key=len, reverse=True),
                           r"\d{1,3}", "a", "an", "a few", "a couple of", "some"])
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    not_amount = r"(?!\d|[:%]|\.\d|\s*(?:%|per\b|percent|million|billion|bn|m\b|p\.?m\.?|a\.?m\.?))"
    year_opt = rf"(?:,?\s+(?P<y>{YEAR})(?![\d%]))?"
    wd_opt = rf"(?:(?P<wd>{wd}),?\s+)?"
    ordinals = "first|second|third|fourth|final|last|1st|2nd|3rd|4th"
    return [
        ("event", re.compile(r"(?<![\w/])(?P<ev>9/11|7/7|26/11)(?![\w/])")),
        ("iso", re.compile(r"(?P<y>\d(?<!\w\d)\d{3})-(?P<m>\d{2})-(?P<d>\d{2})\b")),  # \b before the year
        ("numeric", re.compile(r"(?<![\w/.,])(?P<a>\d{1,2})([/.])(?P<b>\d{1,2})\2(?P<y>\d{4}|\d{2})(?![\w/%]|[.,]\d)")),
        ("day_range", re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{mon}){year_opt}")),
        ("day_range", re.compile(rf"\b(?P<mon>{mon})\s+(?P<d>[0-3]?\d)\s*(?:-|–)\s*(?P<d2>[0-3]?\d)\b{year_opt}")),
        ("day_range", re.compile(rf"\b(?P<mon>{mon})\s*(?P<d>[0-3]?\d)\s*(?:-|–|to)\s*(?P<mon2>{mon})\s*(?P<d2>[0-3]?\d)\b{year_opt}")),
        ("mdy", re.compile(rf"\b{wd_opt}(?P<mon>{mon})\s+{day}\b{not_amount}{year_opt}")),
        ("dmy", re.compile(rf"(?<![\w.,£$€]){wd_opt}(?:the\s+)?{day}\s+(?:of\s+)?(?P<mon>{mon})(?![\w]){year_opt}")),
        ("month_year", re.compile(rf"\b(?P<mon>{mon})\s+(?:of\s+)?(?P<y>{YEAR})(?![\d%])")),
        ("ordinal_day", re.compile(r"\bthe\s+(?P<d>[1-3]?\d)(?:st|nd|rd|th)\b(?=\s*[,.;:!?)]|\s+(?:and|or|to|when|at|in|after|before|until)\b)")),
        ("decade", re.compile(r"(?:\bthe\s+)?(?P<dec>(?:1[6-9]|20)\d0)['’]?s\b|(?:\bthe\s+)?['’](?P<dec2>\d0)s\b")),
        ("year_range", re.compile(rf"(?<![\w/$£€.,-])(?P<y>{YEAR})\s*(?:-|–|/)\s*(?P<y2>\d\d|{YEAR})(?![\w/%-]|,\d)")),
        ("year", re.compile(rf"(?:(?<=mid-)|(?<![\w/$£€.,-]))(?P<y>{YEAR})(?![\w/%-]|,\d)")),
        ("deictic", re.compile(r"(?i)\b(?P<the>the\s+)?(?P<deic>last|next|this|past|coming|previous|following|current)\s+(?P<unit>day|week|weekend|fortnight|month|quarter|year|decade|century)\b")),
        ("quarter", re.compile(rf"(?i:\b(?P<the>the\s+)?(?P<q>{ordinals})[\s-]+quarter\b)"
                               rf"(?:\s+of\s+(?:(?P<y>{YEAR})|(?P<this>the|this)\s+year\b))?")),
        ("quarter", re.compile(rf"\bQ(?P<qn>[1-4])\b(?:\s+(?P<y>{YEAR}))?")),
        ("season", re.compile(rf"(?i:\b(?P<season>spring|summer|autumn|fall|winter)\b)(?:\s+(?:of\s+)?(?P<y>{YEAR})(?![\d%]))?")),
        ("month", re.compile(rf"\b(?P<mon>{mon_full})\b(?![’']?s?\s+[A-Z])")),
        ("weekday", re.compile(rf"(?P<wd>{word_start(wd[:-1] + '|' + wd[3:].upper())})\b(?P<time>\s+(?:morning|afternoon|evening|night))?")),
        ("dayword", re.compile(r"(?i)\b(?P<dw>yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b")),
        ("offset", re.compile(rf"(?i)\b(?:some\s+)?(?P<n>{num})\s+(?P<unit>{UNITS})\s+(?P<dir>ago|later|earlier|before|after|on|from\s+now|hence|previously)\b")),
        ("in_n", re.compile(rf"(?i)\bin\s+(?P<n>{num})\s+(?P<unit>{UNITS})(?:['’]\s*time)?\b")),
        ("span_n", re.compile(rf"(?i)\b(?:the\s+)?(?P<deic>past|last|next|coming|previous|following|first)\s+(?P<n>{num})\s+(?P<unit>{UNITS})\b")),
        ("vague", re.compile(rf"(?i)\b(?:in\s+)?(?:(?:the\s+)?(?:coming|past|last|next)\s+few|recent|coming|the\s+coming|(?:the\s+)?past\s+several)\s+(?P<unit>{UNITS})\b")),
        ("the_unit", re.compile(r"(?i)\bthe\s+(?P<unit>week|month|quarter|year|decade|century)\b")),
        ("duration", re.compile(rf"(?i)\b(?P<prep>for|over|within|throughout|during|after|under|nearly|almost|about|around|more\s+than|less\s+than)\s+(?P<n>{num})\s+(?P<unit>{UNITS})\b(?!\s+old)")),
        ("duration", re.compile(rf"(?i)\b(?P<n>{num})[\s-](?P<unit>{UNITS})(?:-long)?\b(?![\s-]+old|\s+of\s+age)")),
        ("duration", re.compile(r"(?i)\bfor\s+(?P<unit>days|weeks|months|years|decades)\b")),
        ("duration", re.compile(r"(?i)\b(?P<unit>days|weeks|months|years|decades)-long\b")),
    ]


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    form: str
    groups: dict[str, str | None]
    deictic: str | None = None
    part: str | None = None
    extra: dict = field(default_factory=dict)


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", text[max(0, pos - 20):pos])
    return m.group(1).lower() if m else ""


def _keep(text: str, form: str, m: re.Match) -> bool:
    """Forms that need context: ambiguous month and season words, counts that are not spans of time."""
    g = m.groupdict()
    if form == "month" and g["mon"].lower() in AMBIGUOUS_MONTHS:
        return _word_before(text, m.start()) in CALENDAR_CONTEXT
    if form == "season":
        word = g["season"]
        if word[0].isupper() and m.start() > 0 and re.search(r"[A-Z][\w’']*\s+$", text[max(0, m.start() - 30):m.start()]):
            return False  # "Arab Spring", "Prague Spring": a name
        if word.lower() in AMBIGUOUS_SEASONS and not g.get("y"):
            return _word_before(text, m.start()) in CALENDAR_CONTEXT
    if form == "the_unit":
        return bool(_PART_BEFORE.search(text[max(0, m.start() - LOOK_BACK_CHARS):m.start() + 4]))
    # "once a year", "a day": a rate or an article, not a span
    return not (form == "duration" and g.get("n") and g["n"].lower() in ("a", "an", "some") and not g.get("prep"))


def _grow_left(text: str, c: Candidate) -> None:
    """Take a deictic (`last`, `next`, `this`) and a part (`early`, `the end of`) written just before."""
    if c.form in ("weekday", "month", "season", "quarter", "the_unit", "deictic", "year", "month_year", "decade"):
        if c.form in ("weekday", "month", "season", "quarter") and not c.groups.get("y"):
            m = _DEICTIC_BEFORE.search(text, max(0, c.start - LOOK_BACK_CHARS), c.start)
            if m and not (c.form == "quarter" and c.groups.get("the")):
                c.deictic, c.start = m.group(1).lower(), m.start()
        m = _PART_BEFORE.search(text, max(0, c.start - LOOK_BACK_CHARS), c.start)
        if m:
            c.part, c.start = _part_name(m.group(1)), m.start()


def _part_name(words: str) -> str:
    """`the end of the` -> `end`, `the first half of` -> `first half`."""
    return " ".join(w for w in words.lower().split() if w not in ("the", "of"))


_LITERALS = re.compile(r"[a-z]+(?:\|[a-z]+)*")


def _trigger_spans(source: str, trigger: re.Pattern[str]):
    """The spans `trigger.finditer(source)` finds. A trigger of plain words (`day|week|…`) is looked for
    word by word with `str.find`, far faster than the pattern's search when its words open with common
    letters; what a pattern search keeps is then kept: at each position the first word of the
    alternation that is there, and only matches starting past the one kept before."""
    if not _LITERALS.fullmatch(trigger.pattern):
        return (m.span() for m in trigger.finditer(source))
    found = []
    for rank, word in enumerate(trigger.pattern.split("|")):
        k = source.find(word)
        while k >= 0:
            found.append((k, rank, k + len(word)))
            k = source.find(word, k + 1)
    found.sort()
    spans, reach = [], 0
    for a, _, b in found:
        if a >= reach:
            spans.append((a, b))
            reach = b
    return spans


def _windows(text: str, trigger: re.Pattern[str], lower: str | None = None) -> list[tuple[int, int]]:
    """Stretches of text around each trigger word, merged where they touch (found in `lower` if given:
    the lower-cased text, the same length as `text`)."""
    out: list[tuple[int, int]] = []
    for start, end in _trigger_spans(text if lower is None else lower, trigger):
        a, b = max(0, start - WINDOW_BEFORE), min(len(text), end + WINDOW_AFTER)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _matches(text: str, form: str, pattern: re.Pattern[str], windows: dict):
    """All matches of one pattern; patterns with a trigger word are only tried around it (speed)."""
    trigger = TRIGGERS.get(form)
    if trigger is None:
        yield from pattern.finditer(text)
        return
    if trigger not in windows:
        pattern_of_trigger, case = TRIGGER_PATTERNS[trigger]
        lower = None
        if case == LOWER:
            lower = windows.setdefault(LOWER, text.lower())  # type: ignore[arg-type]
        if lower is not None and len(lower) != len(text):
            yield from pattern.finditer(text)  # lower-casing changed the length ("İ"): offsets would shift
            return
        windows[trigger] = _windows(text, pattern_of_trigger, lower)
    needs = _needed_words(form, text, windows.get(LOWER))
    seen: set[tuple[int, int]] = set()
    for a, b in windows[trigger]:
        if needs and not any(needs[1].find(w, a, b) >= 0 for w in needs[0]):
            continue  # none of the words every match holds: nothing to find here
        for m in pattern.finditer(text, a, b):
            if m.span() not in seen:
                seen.add(m.span())
                yield m


# Words one of which every match of these (case-blind) patterns holds: a trigger's window without any of
# them is not searched. Most unit words stand without `last`, `next`, `few` and the like.
NEEDED_WORDS = {"deictic": ("last", "next", "this", "past", "coming", "previous", "following", "current"),
                "span_n": ("past", "last", "next", "coming", "previous", "following", "first"),
                "vague": ("few", "recent", "coming", "several")}
# Characters a case-blind pattern takes for an ASCII letter that lower-casing leaves alone or lengthens
# (dotless and dotted i, long s; the Kelvin sign for safety): with one in the text, every window is searched.
CASE_BLIND_EXTRAS = "\u0130\u0131\u017f\u212a"


def _needed_words(form: str, text: str, lower: str | None) -> tuple[tuple[str, ...], str] | None:
    """(the words one of which a match of `form` holds, the lower-cased text to find them in), or None
    when any window must be searched."""
    words = NEEDED_WORDS.get(form)
    if words is None or lower is None or len(lower) != len(text) or any(c in text for c in CASE_BLIND_EXTRAS):
        return None
    return words, lower


def find_candidates(text: str) -> list[Candidate]:
    """Non-overlapping time expressions in reading order, the leftmost-longest kept."""
    found: list[Candidate] = []
    windows: dict[str, list[tuple[int, int]]] = {}
    for form, pattern in patterns():
        for m in _matches(text, form, pattern, windows):
            if _keep(text, form, m):
                c = Candidate(m.start(), m.end(), form, m.groupdict())
                _grow_left(text, c)
                found.append(c)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def lookback_before(text: str, pos: int) -> bool:
    """`the highest in five years`: the count looks back from the reference time."""
    return bool(LOOKBACK_WORDS.search(text[max(0, pos - 40):pos]))
