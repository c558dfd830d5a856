"""Evidence for an entity's type from the words around one of its names (not from the name itself).

A name's own words often say nothing (`Carrier`, `Monaco`, `Intercept`); the words beside it do:

- a company or other organisation: `shares in Rosneft`, `Carrier's parent`, `Netcraft's chief
  executive`, `Apple shares fell`, `Yukos said in a statement`, `Guidant Inc` (lexicon
  `company_cues`), `general manager at EA Mobile` (a role noun, then `at`);
- a sports club named by its town, in an article about sport (score lines, `league`, `striker`;
  lexicon `sports_words`): `Leicester wing Austin Healey`, `Monaco are also in the race` (a place
  takes a singular verb, a British club a plural one), `beat Chelsea`, `Chelsea 2-1 Arsenal`;
- a publication or other body written with a capital `The` inside a sentence (`Lee Wang of The
  Intercept`): people never take an article.

Each test looks at one name's span; `entities` spreads what it finds to every mention of the name.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.text import lexicon
from pipelines.text.roles import role_nouns

_SCORE = re.compile(r"(?<![\d/.:\-])\d{1,2}-\d{1,2}(?![\d/.:\-])")
_POSSESSIVE_AFTER = re.compile(r"(?:’s|'s|’|')\s+(?:(?:new|former|own|largest|biggest|main)\s+)?([a-z][a-z\- ]{1,40})")
_COMPANY_AFTER = re.compile(
    r",?\s+(?:Inc|Corp|Ltd|plc|PLC|LLC|GmbH|AG)\b\.?"
    r"|\s+(?:said|says)\s+in\s+a\s+statement"
    r"|\s+(?:shares|stock)\s+(?:rose|fell|jumped|slid|dropped|climbed|gained|lost|closed|tumbled|surged|slumped)\b")
_ROLE_AT = re.compile(r"\b([a-z][\w\-]*)\s+at\s+(?:the\s+)?$")
_COMPANY_BEFORE = re.compile(r"(?:shares|stake|stakes|shareholders|shareholding)\s+(?:in|of)\s+(?:the\s+)?$", re.I)
_CLUB_AFTER = re.compile(r"\s+(?:are|were|have|do|don['’]t|did|beat|drew|\d{1,2}-\d{1,2})\b")
_COORDINATED = re.compile(r"(?:\band|\bor|,)\s+$")  # "Greenland and Antarctica are": the verb is the pair's
_CLUB_BEFORE = re.compile(r"(?:beat|beating|beaten\s+by|lost\s+to|losing\s+to|drew\s+with|draw\s+with|v|vs\.?|"
                          r"played|play|plays|playing|face|faces|facing|take\s+on|takes\s+on|host|hosts|"
                          r"at\s+home\s+to|joined|join|signed\s+for|sign\s+for|on\s+loan\s+(?:at|from))\s+$", re.I)
_WORD_AFTER = re.compile(r"\s+([a-z][a-z\-]*)")
# after a lower-case word or a comma, not inside a Title Case title ("Meet The Fockers")
_CAPITAL_THE = re.compile(r"(?:(?<![\w’'\-])[a-z][\w’'\-]*|[,;:])\s+The\s+$")
LOOK = 40  # characters either side of a name that these cues read
# A score line and sports words an article needs before its towns can be clubs. 2 finds 9 of the 14
# sport articles of the BBC sample (matches and transfers; the doping and inquiry stories name no
# clubs), none of its 66 others, and 1 of the 924 PolNeAR articles (a baseball story).
SPORTS_MIN_CUES = 2
MAX_CUE_WORDS = 4  # "board of directors"


@cache
def _company_cues() -> frozenset[str]:
    return lexicon.words("company_cues")


@cache
def _sports() -> dict[str, tuple[str, ...]]:
    return lexicon.table("sports_words")


def is_company(text: str, start: int, end: int) -> bool:
    """The words around text[start:end] are said only of a company."""
    if _COMPANY_AFTER.match(text, end, end + LOOK):
        return True
    # the patterns that end at the name are tried only when their key word is there (a plain
    # substring test is far cheaper than a backward-anchored search, and most names have neither)
    a = max(0, start - LOOK)
    before = text[a:start]
    if ("hare" in before or "take" in before) and _COMPANY_BEFORE.search(text, a, start):
        return True
    role_at = _ROLE_AT.search(text, a, start) if "at" in before else None
    if role_at and role_at.group(1).lower() in role_nouns():
        return True  # "general manager at EA Mobile", "an analyst at Netcraft"
    if text[end:end + 1] not in ("’", "'"):
        return False
    m = _POSSESSIVE_AFTER.match(text, end, end + 2 * LOOK)
    if not m:
        return False
    words = m.group(1).split()
    return any(" ".join(words[:k]) in _company_cues() for k in range(1, min(len(words), MAX_CUE_WORDS) + 1))


@cache
def _sports_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Sports words anywhere; positions right after a capitalised name (not counted twice)."""
    words = _sports()
    context = [w for w, uses in words.items() if "context" in uses]
    after = [w for w, uses in words.items() if "after_name" in uses and "context" not in uses]

    def alternation(ws: list[str]) -> str:
        return "|".join(sorted(map(re.escape, ws), key=len, reverse=True))

    return (re.compile(rf"\b(?:{alternation(context)})\b"),
            re.compile(rf"[A-Z][\w’'\-]*\s+(?:{alternation(after)})\b"))


def is_sports_article(text: str) -> bool:
    """Enough score lines and sports words for a town's name to be read as its club."""
    context, after_name = _sports_patterns()
    found = int(_SCORE.search(text) is not None)  # one cue at most: polls and votes have score-like figures
    lower = text.lower()  # "Premiership", "World Cup" count as well
    for pattern, source in ((context, lower), (after_name, text)):
        for _ in pattern.finditer(source):
            found += 1
            if found >= SPORTS_MIN_CUES:
                return True
    return False


def is_club(text: str, start: int, end: int) -> bool:
    """In a sports article: the place named at text[start:end] is its team."""
    after = _WORD_AFTER.match(text, end, end + LOOK)
    if after and "position" in _sports().get(after.group(1), ()):
        return True
    if _CLUB_AFTER.match(text, end, end + LOOK) and not _COORDINATED.search(text, max(0, start - LOOK), start):
        return True
    return _CLUB_BEFORE.search(text, max(0, start - LOOK), start) is not None


def after_capital_the(text: str, start: int) -> bool:
    """`of The Intercept`, `told The Nation`: a capitalised `The` inside a sentence starts a title."""
    a = max(0, start - LOOK)
    return "The" in text[a:start] and _CAPITAL_THE.search(text, a, start) is not None
