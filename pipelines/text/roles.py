"""Roles of people: titles and appositions tied to a name, and later mentions of those roles.

`clean_role` turns the words an article uses into a `role` value: no determiner or pronoun at the
start (`Its president` -> `president`), no relative clause at the end (`a nurse who lives nearby`
-> `nurse`). `apposition_role` reads `X, a nurse who …`, `X, the party's chair,` and `the chair, X`
around a name. `role_mentions` finds later `the education secretary` phrases that the article has
tied to exactly one named person, so that the phrase is that person.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipelines.text import lexicon
from pipelines.text.frame_words import section
from pipelines.text.tokens import Token

MAX_ROLE_WORDS = 8
NAME_CACHE_SIZE = 1 << 14  # names remembered with their title split off
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev", "hon"})
_CLAUSE = re.compile(r"(?i)\s+(?:who|whom|whose|which|that|said|says|told|added|and\s+(?:a|an|the)\b).*$", re.S)
_HEAD_ENDS = frozenset({"of", "for", "at", "in", "to", "with", "on", "from"})  # the head noun comes before these
_STOPS = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "“", "”", '"', "?", "!"})


@cache
def openers() -> frozenset[str]:
    """Words a role never starts with: determiners and pronouns."""
    return lexicon.words("role_openers")


@cache
def role_nouns() -> frozenset[str]:
    return lexicon.words("role_nouns") | lexicon.words("person_titles")


def clean_role(role: str | None) -> str | None:
    """The role without leading determiners or pronouns and without a trailing clause; None if nothing is left."""
    if not role:
        return None
    text = _CLAUSE.sub("", " ".join(role.split())).strip(" ,;:—–-")
    words = text.split()
    while words and words[0].lower().strip("“”\"'") in openers():
        words = words[1:]
    if not words or all(w.lower() in openers() for w in words):
        return None
    return " ".join(words)


NP_PREPOSITIONS = section("np_prepositions")  # `leader of the opposition`: a description goes on


def _describes(word: str) -> bool:
    """Does `word` after a title carry on a description (`leader of the opposition`, `chief executive
    of X`) rather than open the name (`Councillor Tom Reyes`, `Mr de Villiers`)?"""
    low = word.lower()
    return word[:1].islower() and (low in NP_PREPOSITIONS or low in {"the", "and"} or low in lexicon.words("role_nouns"))


def opens_with_title(name: str) -> bool:
    """Does `name` open with a title and go on (`leader of the opposition`, `Chief Constable Smith`)? The
    contract's rule for a person's name (`schemas._starts_with_title`), in Python."""
    words = name.split()
    titles = lexicon.words("person_titles")
    two = " ".join(words[:2]).lower().replace(".", "")
    return (len(words) > 1 and words[0].lower().strip(".") in titles) or (len(words) > 2 and two in titles)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def split_title(name: str) -> tuple[str, str | None]:
    """`Councillor Tom Reyes` -> (`Tom Reyes`, `Councillor`); a name without a leading title is unchanged."""
    words = name.split()
    titles = lexicon.words("person_titles")
    k = 0
    while k < len(words) - 1:
        two = " ".join(words[k:k + 2]).lower().replace(".", "")
        if two in titles and k + 2 < len(words) and not _describes(words[k + 2]):
            k += 2
        elif words[k].lower().strip(".") in titles and not _describes(words[k + 1]):
            k += 1
        else:
            break
    return " ".join(words[k:]), " ".join(words[:k]) or None


def _is_role(words: list[Token]) -> bool:
    """A short phrase headed by a role noun (`the party's chair`, `a nurse`, `chair of the committee`);
    a role noun only as a possessor (`his son's high school track team`) does not make one."""
    if not words or len(words) > MAX_ROLE_WORDS:
        return False
    head_zone = []
    for t in words:
        if t.lower in _HEAD_ENDS and head_zone:
            break
        if t.is_word:
            head_zone.append(t.lower.rstrip("."))
    return bool(head_zone) and head_zone[-1] in role_nouns()


def apposition_role(tokens: list[Token], first: int, last: int, text: str) -> str | None:
    """The apposition around the name at tokens[first..last]: `X, a nurse who …` or `the chair, X,`."""
    k = last + 1
    if k + 1 < len(tokens) and tokens[k].text == "," and tokens[k + 1].is_word and not tokens[k + 1].is_capitalised \
            or k + 1 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lower in openers():
        end = k + 1
        while end < len(tokens) and tokens[end].text not in _STOPS and end - k <= MAX_ROLE_WORDS + 2:
            end += 1
        piece = tokens[k + 1:end]
        if piece and (piece[0].lower in openers() or piece[0].lower in role_nouns()) and _is_role(_before_clause(piece)):
            return clean_role(text[piece[0].start:piece[-1].end])
    if first >= 2 and tokens[first - 1].text == ",":
        start = first - 2
        while start > 0 and tokens[start - 1].text not in _STOPS and first - start <= MAX_ROLE_WORDS + 1:
            start -= 1
        piece = tokens[start:first - 1]
        if piece and piece[0].lower in openers() and _is_role(piece):
            return clean_role(text[piece[0].start:piece[-1].end])
    return None


def _before_clause(piece: list[Token]) -> list[Token]:
    for k, t in enumerate(piece):
        if t.lower in ("who", "whom", "whose", "which", "that"):
            return piece[:k]
    return piece


def role_key(role: str) -> str | None:
    """The words a later `the …` mention must repeat: the role without honorifics, lower-cased."""
    words = [w for w in role.lower().split() if w.rstrip(".") not in HONORIFICS]
    if not words or not any(w.rstrip(".").replace("’s", "").replace("'s", "") in role_nouns() for w in words):
        return None
    return " ".join(words)


def role_head(key: str) -> str | None:
    """The noun a role is about: `chair` in `party's chair` and in `chair of the planning committee`."""
    words = re.split(r"\s+(?:of|for|at|in|to|with|on)\s+", key, maxsplit=1)[0].split()
    head = words[-1].replace("’s", "").replace("'s", "") if words else ""
    return head if head in role_nouns() and head not in HONORIFICS else None


def role_mentions(text: str, keys: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, person) for each `the <role>` in `text` whose role was tied to one person."""
    if not keys:
        return []
    by_words = {" ".join(k.lower().split()): person for k, person in keys.items()}
    ordered = sorted(by_words, key=len, reverse=True)  # the longest role first at each `the`
    lower = text.lower()
    if len(lower) != len(text):  # `İ`: lower-casing would move every offset, so one case-blind pattern
        alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in ordered)
        pattern = re.compile(r"(?<![\w’'])the\s+(" + alternatives + r")(?![\w’'-])", re.IGNORECASE)
        return [(m.start(1), m.end(1), by_words[" ".join(m.group(1).lower().split())]) for m in pattern.finditer(text)]
    # on the lower-cased text: each `the`, then each role's words read in place (no pattern to compile
    # for the roles of each new article)
    by_letter: dict[str, list[tuple[str, list[str]]]] = {}  # a role can stand only where its first letter is
    for key in ordered:
        by_letter.setdefault(key[0], []).append((key, key.split()))
    out, taken = [], 0
    for the in _THE.finditer(lower):
        if the.start() < taken:
            continue  # inside the role just found
        for key, words in by_letter.get(lower[the.end():the.end() + 1], ()):
            end = _role_end(lower, the.end(), words)
            if end is not None:
                out.append((the.end(), end, by_words[key]))
                taken = end
                break
    return out


_THE = re.compile(r"t(?<![\w’']t)he\s+")  # `the` as a word (the lookbehind after its first letter: a fast scan)


def _role_end(text: str, pos: int, words: list[str]) -> int | None:
    """Where the role `words` ends when it stands at `pos` (white space of any length between its words)
    and ends a word there, else None: what the pattern `word\\s+word(?![\\w’'-])` matches, read without one."""
    for n, word in enumerate(words):
        if n:
            start = pos
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos == start:
                return None
        if not text.startswith(word, pos):
            return None
        pos += len(word)
    if pos < len(text) and (text[pos].isalnum() or text[pos] in "_’'-"):
        return None
    return pos
