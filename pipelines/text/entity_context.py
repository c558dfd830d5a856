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
from functools import cache, lru_cache

from pipelines.text import lexicon
from pipelines.text.roles import role_nouns

# a score line ("2-1") not inside a date, a time or a longer figure; the lookbehind comes after the
# first digit so that the search skips to digits instead of testing every position
_SCORE = re.compile(r"\d(?<![\d/.:\-]\d)\d?-\d{1,2}(?![\d/.:\-])")
_POSSESSIVE_AFTER = re.compile(r"(?:’s|'s|’|')\s+(?:(?:new|former|own|largest|biggest|main)\s+)?([a-z][a-z\- ]{1,40})")
_COMPANY_AFTER = re.compile(
    r",?\s+(?:Inc|Corp|Ltd|plc|PLC|LLC|GmbH|AG)\b\.?"
    r"|\s+(?:said|says)\s+in\s+a\s+statement"
    r"|\s+(?:shares|stock)\s+(?:rose|fell|jumped|slid|dropped|climbed|gained|lost|closed|tumbled|surged|slumped)\b")
_ROLE_AT = re.compile(r"\b([a-z][\w\-]*)\s+at\s+(?:the\s+)?$")
_COMPANY_BEFORE = re.compile(r"(?:shares|stake|stakes|shareholders|shareholding)\s+(?:in|of)\s+(?:the\s+)?$", re.I)
_CLUB_AFTER = re.compile(r"\s+(?:are|were|have|do|don['’]t|did|beat|drew|\d{1,2}-\d{1,2})\b")
_COORDINATED = re.compile(r"(?:\band|\bor|,)\s+$")  # "Greenland and Antarctica are": the verb is the pair's
CLUB_BEFORE = ("beat", "beating", "beaten by", "lost to", "losing to", "drew with", "draw with", "v", "vs", "vs.",
               "played", "play", "plays", "playing", "face", "faces", "facing", "take on", "takes on", "host",
               "hosts", "at home to", "joined", "join", "signed for", "sign for", "on loan at", "on loan from")
_CLUB_BEFORE = re.compile("(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in CLUB_BEFORE) + r")\s+$",
                          re.I)
# the last words of those phrases: a name whose preceding text ends with none of them needs no search
_CLUB_BEFORE_ENDS = tuple(sorted({p.split()[-1] for p in CLUB_BEFORE}))
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
    role_at = _ROLE_AT.search(text, a, start) if _ends_with_at(before) else None
    if role_at and role_at.group(1).lower() in role_nouns():
        return True  # "general manager at EA Mobile", "an analyst at Netcraft"
    if text[end:end + 1] not in ("’", "'"):
        return False
    m = _POSSESSIVE_AFTER.match(text, end, end + 2 * LOOK)
    if not m:
        return False
    words = m.group(1).split()
    return any(" ".join(words[:k]) in _company_cues() for k in range(1, min(len(words), MAX_CUE_WORDS) + 1))


_LETTERS = re.compile(r"[a-z]+")


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _sports_entries() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Sports words anywhere; positions right after a capitalised name (not counted twice): each with
    its runs of letters, all of which a text must hold before the word can be in it."""
    words = _sports()
    context = [w for w, uses in words.items() if "context" in uses]
    after = [w for w, uses in words.items() if "after_name" in uses and "context" not in uses]
    return (tuple((w, tuple(_LETTERS.findall(w))) for w in context),
            tuple((w, tuple(_LETTERS.findall(w))) for w in after))


@lru_cache(maxsize=256)
def _sports_patterns(context: tuple[str, ...], after: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The patterns for the sports words one text may hold (few: most texts hold none)."""
    return (re.compile(rf"\b(?:{_alternation(context)})\b") if context else None,
            re.compile(rf"[A-Z][\w’'\-]*\s+(?:{_alternation(after)})\b") if after else None)


def is_sports_article(text: str) -> bool:
    """Enough score lines and sports words for a town's name to be read as its club."""
    found = int(_SCORE.search(text) is not None)  # one cue at most: polls and votes have score-like figures
    lower = text.lower()  # "Premiership", "World Cup" count as well
    # a word can match (between word boundaries) only where each of its runs of letters is a whole run
    # of the text's: one pass for the runs, then patterns of only the words that can be there
    runs = frozenset(_LETTERS.findall(lower))
    context_entries, after_entries = _sports_entries()
    context = tuple(w for w, parts in context_entries if all(p in runs for p in parts))
    after = tuple(w for w, parts in after_entries if all(p in runs for p in parts))
    if not (context or after):
        return False  # a score line alone is one cue
    context_pattern, after_pattern = _sports_patterns(context, after)
    for pattern, source in ((context_pattern, lower), (after_pattern, text)):
        if pattern is None:
            continue
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
    a = max(0, start - LOOK)
    if not text[a:start].rstrip().lower().endswith(_CLUB_BEFORE_ENDS):
        return False  # the backward-anchored search below is the costly part: most names fail this first
    return _CLUB_BEFORE.search(text, a, start) is not None


def _ends_with_at(before: str) -> bool:
    """`… at ` or `… at the ` ends `before`: what `_ROLE_AT` needs, tested without a search."""
    words = before.rstrip()
    if words.endswith("the"):
        words = words[:-3].rstrip()
    return words.endswith("at")


def after_capital_the(text: str, start: int) -> bool:
    """`of The Intercept`, `told The Nation`: a capitalised `The` inside a sentence starts a title."""
    a = max(0, start - LOOK)
    return "The" in text[a:start] and _CAPITAL_THE.search(text, a, start) is not None
