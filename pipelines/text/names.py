"""Candidate names: runs of capitalised words in a sentence, with titles split off.

`Lieutenant-General Faiz Hameed` -> title `Lieutenant-General`, name `Faiz Hameed`. Connectors
and particles may sit inside a name (`Bank of England`, `Osama bin Laden`); a possessive ends it
(`Pakistan’s army` -> `Pakistan`). A capitalised first word of a sentence is dropped when it is a
common English word that the article also uses in lower case, or a very frequent one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from wordfreq import zipf_frequency

from pipelines.text import lexicon
from pipelines.text.tokens import Token, strip_possessive

_DOTTED = re.compile(r"(?:[A-Z]\.)+")
_CONTRACTION = re.compile(r"[’'](?:ll|d|m|ve|re|t)$")
# Web-page furniture glued to a name by a lost line break: "FlagShareLikeReplySara", "BushASSOCIATED",
# "PRESSOhio". Real names have at most two humps ("McDonald", "GlaxoSmithKline", "YouTube").
_HUMP = re.compile(r"[a-z][A-Z]")
_GLUED = re.compile(r"[a-z][A-Z]{2}|[A-Z]{4,}[a-z]{2}")
MAX_NAME_HUMPS = 2
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
CONNECTORS = frozenset({"of", "de", "la", "le", "du", "da", "bin", "ibn", "van", "von", "der", "al", "el", "abu", "ul"})
OPENERS = frozenset("“‘\"'([")
ORGANISATION_CONNECTORS = frozenset({"for", "on", "of", "against"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
MAX_TITLE_PREFIX = 2
# after these a Title Case run is a work's title and keeps its small words: "a show titled Stars on Thin Ice"
WORK_INTRODUCERS = frozenset({"titled", "entitled"})
TITLE_SMALL_WORDS = frozenset({"on", "of", "the", "in", "a", "an", "and", "to", "for", "at", "with", "from", "by"})
PARTICIPLE_ZIPF = 4.0  # "Praising", "Considering" open clauses: their verb ("praise") is common
MIN_PARTICIPLE_LENGTH = 7
TITLE_PREFIX_ZIPF = 4.0  # "Education", "Foreign", "Home" before "Secretary" are ordinary words: part of the title
WORD_CACHE_SIZE = 1 << 16  # distinct words remembered with their shape (a few MB at most)
COMMON_WORD_ZIPF = 4.6  # log10 frequency per billion words: "instead" 5.2, "gary" 4.4, "taliban" 3.7


@dataclass(frozen=True, slots=True)
class Name:
    start: int  # of the name (title excluded)
    end: int
    text: str
    title: str | None  # the title or rank before the name, if any
    title_start: int | None
    tokens: tuple[str, ...]
    token_index: int  # index in the sentence tokens of the first name token
    last_index: int
    sentence_initial: bool


@cache
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _titles() -> frozenset[str]:
    return lexicon.words("person_titles")


@cache
def glued(word: str) -> bool:
    """Words run together without a space (`FlagShareLikeReplySara`) or a plural acronym (`MPs`, `CEOs`,
    a common noun): never part of a name."""
    if word[1:].islower() or word.isupper():
        return False  # the usual shapes ("Taliban", "ISI"), without the regular expressions
    return (len(_HUMP.findall(word)) > MAX_NAME_HUMPS or _GLUED.search(word) is not None
            or _PLURAL_ACRONYM.fullmatch(strip_possessive(word)) is not None)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _capitalised_word(t: str) -> bool:
    """A word that can be part of a name (remembered per word: the same words recur)."""
    if not t[0].isalpha() or glued(t):
        return False
    if t[0].isupper():
        if _CONTRACTION.search(t):
            return False  # I'll, Don't, Isn't
        if "-" in t and t.rsplit("-", 1)[1][:1].islower() and t.rsplit("-", 1)[1] not in CONNECTORS:
            return False  # Pakistan-based, Last-ditch: adjectives, not names
        return strip_possessive(t) not in _non_entities()
    # al-Qaeda, bin-Laden style: a lower-case particle joined by a hyphen to a capitalised word
    head, _, rest = t.partition("-")
    return bool(rest) and head in CONNECTORS and rest[:1].isupper()


def ordinary_word_test(lower_words: frozenset[str], mid_caps: frozenset[str]) -> Callable[..., bool]:
    """For one article: a sentence-initial capital is ordinary when the article also writes the word
    in lower case, or when it is a very frequent word never capitalised mid-sentence there."""

    def is_ordinary(word: str, alone: bool = True, place: bool = False) -> bool:
        low = word.lower()
        if low in lower_words:
            return True
        if place:
            return False  # "Britain's record ...": a place opening the sentence, never written in lower case here
        if (low.endswith("ing") and len(low) >= MIN_PARTICIPLE_LENGTH and word not in mid_caps
                and max(_zipf(low[:-3]), _zipf(low[:-3] + "e")) >= PARTICIPLE_ZIPF):
            return True  # "Praising Celtic and Rangers", "Clinching the nomination is ...": a verb's -ing form
        # before another capitalised word ("Tom Reilly said") frequency alone is weak evidence
        return alone and _zipf(low) >= COMMON_WORD_ZIPF and word not in mid_caps

    return is_ordinary


def find_names(tokens: list[Token], is_ordinary: Callable[..., bool]) -> list[Name]:
    """Capitalised runs in one sentence's tokens; `is_ordinary(word)` says a sentence-initial
    capitalised word is an ordinary word rather than part of a name."""
    names: list[Name] = []
    first_word = next((k for k, t in enumerate(tokens) if t.is_word), None)
    non_entities, titles = _non_entities(), _titles()
    # the tokens a name can start at: capitalised, or a lower-case particle with a hyphen (al-Qaeda)
    # (first a cheap filter: a word with a capital changes when lower-cased; non-ASCII words are all looked at)
    maybe = [k for k, t in enumerate(tokens) if t.text != t.lower or "-" in t.text or not t.text.isascii()]
    i = 0
    for k in maybe:
        c = tokens[k].text[0]
        if k < i or not (c.isupper() or c.islower() and "-" in tokens[k].text):
            continue  # inside the previous run, or not an opener
        if not _capitalised_word(tokens[k].text) and not (k == first_word and tokens[k].text[0].isupper() and not glued(tokens[k].text)):
            continue
        j = _run_end(tokens, k)
        i = j + 1
        # drop ordinary words at the start (sentence-initial capitals, "The"); a word right after an
        # opening quotation mark starts the quoted sentence
        while k <= j and (
            tokens[k].text in non_entities
            or tokens[k].lower in CONNECTORS
            or ((k == first_word or k > 0 and tokens[k - 1].text in ("“", '"'))
                and (tokens[k].lower in _auxiliaries() or is_ordinary(tokens[k].bare, k == j, tokens[k].bare in _places()))
                and tokens[k].lower.rstrip(".") not in titles)
        ):
            k += 1
        while j >= k and tokens[j].lower in CONNECTORS:
            j -= 1
        if j < k:
            continue
        span = tokens[k:j + 1]
        if len(span) > 1 and all(t.text.isupper() for t in span):
            continue  # a shouted headline fragment ("THEY LOSE"), not a name
        # a title inside the run splits it: "Wells Fargo CEO John Stumpf" -> "Wells Fargo" and "John Stumpf";
        # ordinary words before it are part of the title ("Education Secretary Helen Carter")
        cut = _title_cut(span)
        if cut is not None and not all(_zipf(t.lower) >= TITLE_PREFIX_ZIPF and t.lower not in CONNECTORS
                                       for t in span[:cut]):
            names.extend(_name_of(tokens, span[:cut], first_word, k))
            span, k = span[cut:], k + cut
        names.extend(_name_of(tokens, span, first_word, k))
    return names


def _title_cut(span: list[Token]) -> int | None:
    """Index of a title word inside a run that is followed by a name (not only by a suffix like `Jr.`)."""
    for m in range(1, len(span) - 1):
        if (span[m].lower.rstrip(".") in _titles() and span[m - 1].text[0].isupper()
                and not span[m - 1].text.endswith(("’s", "'s")) and span[m - 1].lower.rstrip(".") not in _titles()
                and not all(t.lower.rstrip(".") in NAME_SUFFIXES for t in span[m + 1:])):
            return m
    return None


def _joins(tokens: list[Token], i: int, j: int) -> int:
    """How many tokens after `tokens[j]` continue the run that started at `i` (0: it ends)."""
    n = len(tokens)
    nxt = tokens[j + 1]
    if (nxt.text in ("’", "'") and nxt.start == tokens[j].end and tokens[j].text.endswith("s") and j + 2 < n
            and tokens[j + 2].lower in _organisation_words() and tokens[j + 2].text[0].isupper()):
        return 2  # "Musicians’ Union": a plural possessive inside an organisation's name
    if (nxt.text == "-" and nxt.start == tokens[j].end and j + 2 < n and tokens[j + 2].start == nxt.end
            and _DOTTED.fullmatch(tokens[j].text) and _DOTTED.fullmatch(tokens[j + 2].text)):
        return 2  # "A.F.L.-C.I.O.": dotted initials joined by a hyphen (the tokens split at the dot)
    if nxt.start != tokens[j].end + 1:
        return 0
    if _person_after_organisation(tokens, j):
        return 0  # "the Environmental Audit Committee Peter Ainsworth": the chairman's name is not the committee's
    if _capitalised_word(nxt.text) or nxt.lower.rstrip(".") in NAME_SUFFIXES and nxt.text[0].isupper():
        return 1
    run = tokens[i:j + 1]
    organisation = any(t.lower in _organisation_words() for t in run)
    if (organisation and nxt.lower == "of" and j + 3 < n and tokens[j + 2].lower == "the" and _capitalised_word(tokens[j + 3].text)
            and tokens[j + 3].text[0].isupper()):
        return 3  # "Museum of the Moving Image"
    if j + 2 >= n or not (_capitalised_word(tokens[j + 2].text) and tokens[j + 2].text[0].isupper()):
        return 0
    if nxt.lower in CONNECTORS:
        return 2
    if nxt.lower in ORGANISATION_CONNECTORS and organisation and not _dated(tokens, j + 2):
        return 2  # "Institute for Fiscal Studies", "Council on Foreign Relations" (not "CBS News on Super Tuesday")
    if nxt.text == "&":
        return 2  # "Johnson & Johnson"
    if nxt.lower == "and" and organisation and any(t.lower in ORGANISATION_CONNECTORS | CONNECTORS for t in run):
        # "Department of Health and Social Care", but not "the Bank of England and Barclays"
        last = tokens[j]
        return 2 if _zipf(last.lower) >= TITLE_PREFIX_ZIPF and last.bare not in _places() else 0
    return 0


def _person_after_organisation(tokens: list[Token], j: int) -> bool:
    """Does an organisation word (`Committee`) at token j end its name, a given name and a surname following
    (`… Committee Peter Ainsworth MP`)?"""
    if j + 2 >= len(tokens) or tokens[j].lower not in _organisation_words():
        return False
    given, surname = tokens[j + 1], tokens[j + 2]
    return (given.text[0].isupper() and given.lower in lexicon.table("first_names") and surname.start == given.end + 1
            and _capitalised_word(surname.text) and surname.lower not in _organisation_words())


def _dated(tokens: list[Token], k: int) -> bool:
    """The capitalised words from tokens[k] on hold a weekday or a month: `on Super Tuesday`, `on
    Monday` after a body's name is when, not part of the name."""
    while k < len(tokens) and tokens[k].text[0].isupper():
        if tokens[k].lower in calendar_words():
            return True
        k += 1
    return False


@cache
def calendar_words() -> frozenset[str]:
    """Full weekday and month names (not `May` as a short form: it is a surname too)."""
    return frozenset(w for w, (kind, *_) in lexicon.table("time_words").items()
                     if kind in ("weekday", "month") and len(w) > 3)


def _run_end(tokens: list[Token], i: int) -> int:
    """Index of the last token of the capitalised run starting at `i`; a possessive ends it."""
    j = i
    titled = i > 0 and tokens[i - 1].lower in WORK_INTRODUCERS
    while j + 1 < len(tokens) and not tokens[j].text.endswith(("’s", "'s")):
        step = _joins(tokens, i, j) or (2 if titled and _title_small_word(tokens, j) else 0)
        if not step:
            break
        j += step
    return j


def _title_small_word(tokens: list[Token], j: int) -> bool:
    """`Stars on Thin Ice`: a small word between capitalised words of a work's title."""
    if j + 2 >= len(tokens):
        return False
    small, nxt = tokens[j + 1], tokens[j + 2]
    return (small.lower in TITLE_SMALL_WORDS and small.start == tokens[j].end + 1 and nxt.start == small.end + 1
            and nxt.text[0].isupper() and _capitalised_word(nxt.text))


@cache
def _non_entities() -> frozenset[str]:
    return lexicon.words("non_entities", case_sensitive=True)


@cache
def _auxiliaries() -> frozenset[str]:
    return lexicon.words("auxiliaries")


@cache
def _organisation_words() -> frozenset[str]:
    return lexicon.words("organisation_words")


@cache
def _institution_words() -> frozenset[str]:
    """Head words of a body or an event: a party word before them is part of the name."""
    return lexicon.words("organisation_words") | lexicon.words("event_words")


@cache
def _places() -> frozenset[str]:
    from pipelines.text import gazetteer

    return gazetteer.places()


def _title_prefix(span: list[Token]) -> int:
    """How many ordinary words open the run before a title word (0 if none, or no title follows)."""
    for k in range(1, min(len(span) - 1, MAX_TITLE_PREFIX + 1)):
        if span[k].lower.rstrip(".") in _titles():
            ordinary = all(_zipf(t.lower) >= TITLE_PREFIX_ZIPF and t.lower not in CONNECTORS for t in span[:k])
            return k if ordinary else 0
    return 0


def _name_of(tokens: list[Token], span: list[Token], first_word: int | None, first: int) -> list[Name]:
    """The Name for a run of capitalised tokens (span = tokens[first:...]), its leading titles split
    off ([] if only titles)."""
    n = len(span)
    titles = _titles()
    # titles at the start: "Army chief General X" has its lower-case part outside the span;
    # ordinary words before a title belong to it ("Education Secretary Helen Carter")
    title_end = _title_prefix(span) if n > 2 else 0
    while title_end < n - 1:
        one = span[title_end].bare.lower().rstrip(".")
        if f"{one} {span[title_end + 1].lower}" in titles and title_end + 2 < n:
            title_end += 2
        elif one in titles or one.replace("-", " ") in titles:
            title_end += 1
        else:
            break
    # "Secretary of State Jon Husted": the rest of a title ("of State") and a party word before a
    # name ("Republican Donald Trump") are not part of the name
    while title_end < n - 2 and span[title_end].lower == "of":
        title_end += 2
    modifiers = lexicon.words("name_modifiers")
    if title_end < n - 2 and span[-1].bare.lower() not in _institution_words():  # "Republican National Convention"
        while title_end < n - 2:  # keeps its party word; "Lib Dem Norman Baker" does not
            if span[title_end].lower in modifiers:
                title_end += 1
            elif title_end < n - 3 and f"{span[title_end].lower} {span[title_end + 1].lower}" in modifiers:
                title_end += 2
            else:
                break
    if title_end and all(t.lower in _organisation_words() for t in span[title_end:]):
        title_end = 0  # "Justice Department", "General Motors": a title word inside a body's name
    if title_end >= n:
        return []
    name_toks = span[title_end:] if title_end else span
    first_idx = first + title_end  # by position, not tokens.index(): that made long sentences quadratic
    last = name_toks[-1]
    return [Name(
        name_toks[0].start,  # start
        last.bare_end,  # end
        "",  # text: filled by the caller from the text
        " ".join(t.text for t in span[:title_end]) if title_end else None,  # title
        span[0].start if title_end else None,  # title_start
        (*(t.text for t in name_toks[:-1]), last.bare),  # tokens
        first_idx,  # token_index
        first_idx + len(name_toks) - 1,  # last_index
        first == first_word and not title_end,  # sentence_initial
    )]
