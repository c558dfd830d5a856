"""Coreference for source words: who `he`, `she`, `it`, `they`, `the company` or `the official` is.

Candidates are the article's earlier speakers (sources already resolved) and its named mentions
outside quotation marks (a name inside someone's quotation is not what the frame's pronoun points
at: in `“… Santa Claus,” he said` the speaker is not Santa Claus). A name used as a modifier (`the
Lib Dem leader`, `the younger Williams sister`) is not a candidate either.

Ranking, centering style: the nearest sentence first; within a sentence the speaker, then a name in
subject position (directly followed by a verb), then any other name, from the right. Other names
count only in the sentence of the pronoun or the one before it. A candidate whose gender (a title
such as `Mr`/`Ms`/`Lord`, a gendered role noun such as `spokeswoman`, or a given name) contradicts
the pronoun is never chosen; one whose gender is known to agree beats one of unknown gender of the
same rank. Nothing here knows about attribution frames: callers say which kinds of referent fit.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from pipelines.text import lexicon
from pipelines.text.cues import verb_forms
from pipelines.text.entities import EntityResult, first_name_gender
from pipelines.text.frame_words import section

# How far back (in sentences) a pronoun looks for a speaker or a subject. In news prose a frame
# pronoun points at the last speaker or subject; past four sentences the writer names them again.
MAX_SENTENCES_BACK = 4
# A name in object or prepositional position counts in the pronoun's own sentence, or in the one
# before it when no speaker or subject is in reach.
OBJECT_SENTENCES_BACK = 1
SPEAKER, SUBJECT, OTHER = 0, 1, 2
MAX_APPOSITION_CHARS = 80  # "X, the … , said": longer stretches between commas are clauses, not appositions
OPENERS = frozenset({"but", "and", "yet", "so", "meanwhile", "however", "“", "\""})
ENTITY_KIND = {"person": "person", "organisation": "organisation", "other": "organisation", "group": "group",
               "location": "government"}
_WORD_AFTER = re.compile(r"[\s,]*?([A-Za-z][\w’'\-]*)")
_NON_SPACE = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w’'\-]*)\.?\s+$")
_APPOSITION = re.compile(r",\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?([a-z]+)\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something a pronoun may refer to: an entity (by index) or an earlier source (`ref`)."""

    start: int
    sentence_no: int
    rank: int  # SPEAKER, SUBJECT or OTHER
    kind: str  # person, organisation, government, group, document, anonymous
    gender: str | None  # m, f, or None when unknown
    entity: int | None = None
    ref: object | None = None


@cache
def _gendered() -> dict[str, str]:
    return {w: v[0] for w, v in lexicon.table("gendered_words").items()}


def words_gender(words: list[str]) -> str | None:
    """Gender given by a description's words (`spokeswoman`, `Mr`) or a leading given name."""
    for w in words:
        g = _gendered().get(w.lower().rstrip("."))
        if g:
            return g
    if words and words[0][:1].isupper():
        g = first_name_gender(words[0])
        if g in ("m", "f"):
            return g
    return None


def compatible(have: str | None, want: str | None) -> bool:
    return have is None or want is None or have == want


def _verb_like(word: str) -> bool:
    """Could this word be the verb right after a subject (`believes`, `said`, `has`, `also`)?"""
    low = word.lower()
    if low in section("skip") or low in section("finite_verbs") or low in verb_forms():
        return True
    return word[:1].islower() and (low.endswith("ed") or (low.endswith("s") and not low.endswith(("ss", "’s", "'s"))))


def _order(c: Candidate) -> int:
    """Within a sentence: its first subject (the main clause's), else its last other name (the nearest)."""
    return c.start if c.rank == SUBJECT else -c.start


class Coref:
    """Antecedents in one article; built once, asked once per pronoun or description."""

    def __init__(self, text: str, entities: EntityResult, sentences: list[tuple[int, int]],
                 quotes: list[tuple[int, int]]):
        self.text = text
        self.entities = entities
        self.starts = [a for a, _ in sentences]
        self.quotes = sorted(quotes)
        self.genders = self._entity_genders()
        self.mentions = sorted(self._mention_candidates(), key=lambda c: c.start)
        self.mention_starts = [c.start for c in self.mentions]

    def sentence_of(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def in_quote(self, offset: int) -> bool:
        k = bisect_right(self.quotes, (offset, len(self.text) + 1)) - 1
        return k >= 0 and self.quotes[k][0] <= offset < self.quotes[k][1]

    def _entity_genders(self) -> dict[int, str]:
        """Gender of each person entity: a title or gendered apposition at any mention, else the given name."""
        out: dict[int, str] = {}
        for m in self.entities.mentions:
            e = self.entities.entities[m.entity]
            if e.entity_type != "person" or m.mention_type == "pronoun" or m.entity in out:
                continue
            before = _WORD_BEFORE.search(self.text, max(0, m.start - 14), m.start)
            after = _APPOSITION.match(self.text, m.end, min(len(self.text), m.end + 60))
            g = _gendered().get(before.group(1).lower()) if before else None
            g = g or (_gendered().get(after.group(1)) if after else None)
            if g:
                out[m.entity] = g
        for k, e in enumerate(self.entities.entities):
            if e.entity_type == "person" and k not in out:
                g = first_name_gender(e.name.split()[0])
                if g in ("m", "f"):
                    out[k] = g
        return out

    def _mention_candidates(self) -> list[Candidate]:
        out = []
        for m in self.entities.mentions:
            e = self.entities.entities[m.entity]
            if m.mention_type == "pronoun" or self.in_quote(m.start):
                continue
            nxt = _WORD_AFTER.match(self.text, m.end, min(len(self.text), m.end + 40))
            glued = self.text[m.end:m.end + 1] not in " ,"  # a possessive or a hyphenated compound
            if nxt and not glued and self._premodifier(m.start, nxt.group(1)):
                continue  # "the Lib Dem leader": the name describes someone else
            sentence = self.sentence_of(m.start)
            subject = not glued and (self._opens_sentence(m.start, sentence) or self._verb_follows(m.end, nxt))
            rank = SUBJECT if subject else OTHER
            kind = ENTITY_KIND.get(e.entity_type, "organisation")
            out.append(Candidate(m.start, sentence, rank, kind, self.genders.get(m.entity), m.entity))
            if e.entity_type == "other" and (subject or " " not in e.name):
                # a name the entity layer could not type ("Williams was …", "for Cruz, who") may be a person
                out.append(Candidate(m.start, sentence, rank, "person", None, m.entity))
        return out

    def _opens_sentence(self, start: int, sentence: int) -> bool:
        """`Jane Okafor, the mayor, spoke …`, `But Hantuchova is …`: the name opens its sentence."""
        a = self.starts[sentence]
        # the first two words before the name, not a split of the whole lead: linear in a huge sentence
        lead = [m.group() for m in itertools.islice(_NON_SPACE.finditer(self.text, a, start), 2)]
        return not lead or (len(lead) == 1 and lead[0].lower() in OPENERS)

    def _verb_follows(self, end: int, nxt: re.Match[str] | None) -> bool:
        """Is the name (ending at `end`, the word after it `nxt`) directly followed by a verb, perhaps after
        an apposition (`X, the mayor, said`)?"""
        if nxt is None:
            return False
        if self.text[end:nxt.start(1)].strip() == "":
            return _verb_like(nxt.group(1))
        if self.text[end:nxt.start(1)].strip() == ",":
            close = self.text.find(",", nxt.start(1), nxt.start(1) + MAX_APPOSITION_CHARS)
            after = _WORD_AFTER.match(self.text, close + 1, close + 40) if close > 0 else None
            return after is not None and _verb_like(after.group(1)) and not any(
                ch in self.text[end:close] for ch in "“”\".;")
        return False

    def _premodifier(self, start: int, next_word: str) -> bool:
        """A name between a determiner and a lower-case noun: `the two-time Academy Award winner`."""
        if not next_word[:1].islower() or _verb_like(next_word) or next_word.lower() in section("boundary"):
            return False
        before = self.text[max(0, start - 30):start].split()
        for w in reversed(before[-3:]):
            if w.lower() in {"the", "a", "an"}:
                return True
            if not w[:1].islower():
                return False
        return False

    def antecedent(self, offset: int, kinds: set[str], gender: str | None,
                   speakers: list[Candidate]) -> Candidate | None:
        """The best candidate before `offset` of one of `kinds` whose gender does not contradict."""
        here = self.sentence_of(offset)
        window = self._window(self.starts[max(here - MAX_SENTENCES_BACK, 0)], offset)
        fits = [c for c in [*window, *speakers] if c.start < offset and c.kind in kinds
                and compatible(c.gender, gender) and here - c.sentence_no <= MAX_SENTENCES_BACK]
        main = [c for c in fits if c.rank != OTHER or c.sentence_no == here]
        # names in object position count only when no speaker or subject is in reach
        pool = main or [c for c in fits if here - c.sentence_no <= OBJECT_SENTENCES_BACK]
        if gender is not None and any(c.gender == gender for c in pool):
            pool = [c for c in pool if c.gender == gender or not self._untyped(c)]
        if pool:
            return min(pool, key=lambda c: (here - c.sentence_no, c.rank, c.gender != gender, _order(c)))
        earlier = [c for c in speakers if c.start < offset and c.kind in kinds and compatible(c.gender, gender)]
        return max(earlier, key=lambda c: c.start) if earlier else None

    def _untyped(self, c: Candidate) -> bool:
        """A name the entity layer could not type (`Wasp` opening a sentence about a film): a person only
        by default, so a pronoun whose gender a typed person in reach matches goes to that person."""
        return c.gender is None and c.entity is not None and self.entities.entities[c.entity].entity_type == "other"

    def nearest(self, offset: int, kinds: set[str]) -> Candidate | None:
        """The named mention of one of `kinds` closest before `offset` in its sentence (for `…, who said`)."""
        here = self.sentence_of(offset)
        pool = [c for c in self._window(self.starts[here], offset) if c.kind in kinds]
        return max(pool, key=lambda c: c.start) if pool else None

    def _window(self, start: int, end: int) -> list[Candidate]:
        """Mention candidates starting in [start, end): bisection over the sorted starts."""
        return self.mentions[bisect_left(self.mention_starts, start):bisect_left(self.mention_starts, end)]

    def sentence_subject(self, offset: int) -> Candidate | None:
        """The name in subject position opening the sentence that holds `offset`, if any."""
        here = self.sentence_of(offset)
        pool = [c for c in self._window(self.starts[here], offset) if c.rank == SUBJECT]
        return min(pool, key=lambda c: c.start) if pool else None

    def subject_before(self, offset: int, kinds: set[str]) -> Candidate | None:
        """The nearest named mention of one of `kinds` before `offset`, subjects first (for `the company`)."""
        here = self.sentence_of(offset)
        pool = [c for c in self.mentions if c.start < offset and c.kind in kinds]
        if not pool:
            return None
        near = [c for c in pool if here - c.sentence_no <= MAX_SENTENCES_BACK]
        if near:
            return min(near, key=lambda c: (c.rank != SUBJECT, here - c.sentence_no, -c.start))
        return max(pool, key=lambda c: c.start)
