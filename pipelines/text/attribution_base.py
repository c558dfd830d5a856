"""Shared pieces of attribution reading: the `Attribution` record, one sentence's tokens with its
quotation mask, the closed word classes a frame is read with (from `lexicons/frame_words.txt`) and
small span helpers. Nothing here decides anything; the stages build on it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.text import lexicon
from pipelines.text.frame_words import section
from pipelines.text.quotes import Quote
from pipelines.text.segment import Sentence
from pipelines.text.tokens import Token, tokenize

PRONOUNS = section("pronoun_subjects")
INTERJECTED = section("interjected")
CONTRACTED_SUBJECTS = section("contracted_subjects")
QUANTIFIER_SUBJECTS = section("quantifier_subjects")
RELATIVE_SUBJECTS = section("relative_subjects")
PASSIVE_AUX = section("passive_aux")
AUTHOR_VOICE = section("author_voice")
COPULAS = section("copulas")
PROGRESSIVE = section("progressive")
# (`\b` before `it`/`there` is checked after their first letter: a search then skips to those letters)
_IMPERSONAL = re.compile(
    r"(?:I(?<!\wI)t|i(?<!\wi)t|T(?<!\wT)here|t(?<!\wt)here)\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|generally\s+|also\s+)?"
    r"(believed|said|thought|understood|reported|alleged|claimed|feared|expected|rumou?red)\s+(?:that\s+)?")
ENDING_PUNCT = ".!?;:,—–-…"
_DASH_CREDIT = re.compile(r"[”\"]\s*([―—–]|--)\s*([A-Z][\w.’'\- ]{1,60}?)\s*(?:,[^.”\"]*)?\.?\s*$")
_TRANSCRIPT = re.compile(r"[\"“‘']?([A-Z][A-Z.’'\- ]{1,30}[A-Z.]):\s")
MAX_NP = 12
CALENDAR_WORDS = section("calendar_words")
DATE_PREPOSITIONS = section("date_prepositions")
TURN_MIN_WORDS = 4  # a quotation this long between two others is someone's turn, not a scare quote or title
COORDINATORS = section("coordinators")
FINITE = section("finite_verbs")


@dataclass(slots=True)
class Attribution:
    """One attributed statement: spans are (start, end) offsets into the article text."""

    sentence_no: int
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    cue_lemma: str | None
    kind: str  # quote, reported, according, transcript, lead_in, continuation
    quotes: list[int] = field(default_factory=list)  # indices into the article's quotes
    role: str | None = None  # an apposition or description seen with the source
    continues: Attribution | None = None  # for continuations: the attribution continued


def _strip(text: str, a: int, b: int, lead: str = " ,:;—–-\n", trail: str = " ,:;—–-\n") -> tuple[int, int]:
    while a < b and text[a] in lead:
        a += 1
    while b > a and text[b - 1] in trail:
        b -= 1
    return a, b


class _Sentence:
    """Tokens of one sentence with the quotation mask."""

    def __init__(self, text: str, s: Sentence, quotes: list[tuple[int, Quote]], tokens: list[Token] | None = None):
        self.text = text
        self.s = s
        self.quotes = quotes  # (index, quote) overlapping this sentence, top level only
        self.tokens = tokens if tokens is not None else tokenize(text, s.start, s.end)
        self.inside = self._in_quotes()
        self._words: list[Token] | None = None  # the word tokens outside quotation marks, when first asked
        self._word_starts: list[int] = []
        self._word_ends: list[int] = []
        self._quote_starts: dict[int, int] | None = None

    def quote_starts_in(self, index: int, span: tuple[int, int]) -> bool:
        """Does this sentence's quote `index` start inside `span`? (A lookup, not a scan: a sentence of
        thousands of quotes asks this for each of them.)"""
        if self._quote_starts is None:
            self._quote_starts = {i: q.start for i, q in self.quotes}
        start = self._quote_starts.get(index)
        return start is not None and span[0] <= start < span[1]

    def _in_quotes(self) -> list[bool]:
        """For each token: does it lie within a quote's marks? (A token is inside when the furthest-reaching
        quote opened at or before it reaches its end.)"""
        if not self.quotes:
            return [False] * len(self.tokens)  # most sentences
        spans = sorted((q.open_mark, (q.close_mark if q.close_mark is not None else q.end) + 1) for _, q in self.quotes)
        starts, ends = [t.start for t in self.tokens], [t.end for t in self.tokens]
        out, reach = [False] * len(self.tokens), -1
        for k, (opened, closed) in enumerate(spans):
            reach = max(reach, closed)
            # the tokens starting from this quote's opening to the next one's all have `reach`; they are
            # in order and do not overlap, so those ending within it come first: bisection, not a scan
            lo = bisect.bisect_left(starts, opened)
            hi = bisect.bisect_left(starts, spans[k + 1][0]) if k + 1 < len(spans) else len(starts)
            inside = bisect.bisect_right(ends, reach, lo, hi)
            out[lo:inside] = [True] * (inside - lo)
        return out

    def words_between(self, a: int, b: int) -> list[Token]:
        """Word tokens outside quotation marks lying within [a, b)."""
        if self._words is None:  # found once per sentence; tokens are in order, so starts and ends are sorted
            self._words = [t for t, inside in zip(self.tokens, self.inside, strict=True) if t.text[0].isalnum() and not inside]
            self._word_starts = [t.start for t in self._words]
            self._word_ends = [t.end for t in self._words]
        i, j = bisect.bisect_left(self._word_starts, a), bisect.bisect_right(self._word_ends, b)
        return self._words[i:j] if i < j else []


def _span(toks: list[Token], r: tuple[int, int]) -> tuple[int, int]:
    return toks[r[0]].start, toks[r[1]].bare_end if toks[r[1]].text.endswith(("’s", "'s")) else toks[r[1]].end


def _full_quote_span(quotes: list[tuple[int, Quote]]) -> tuple[int, int]:
    return min(q.start for _, q in quotes), max(q.end for _, q in quotes)


def _next_word(st: _Sentence, k: int) -> str:
    """The token after token k, lower-cased ("" at the end)."""
    return st.tokens[k + 1].lower if k + 1 < len(st.tokens) else ""


# Most words of a prepositional phrase set off by commas between a subject and its cue
# (`, in a brief interview on Saturday,`).
MAX_PP_WORDS = 7
_INSERTED_PREPOSITIONS = frozenset({"in", "on", "at", "during", "after", "before", "from", "with", "by", "through"})
# Words of the time phrase that can stand between a subject and its verb (`last week`, `on Sunday`,
# `earlier this month`): the calendar words and these.
TIME_NOUNS = frozenset({"ago", "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year"})


def before_adverbs(toks: list[Token], j: int) -> int:
    """Step left from token j over adverbs and auxiliaries that are not copulas (`and also said`, `but later told`)."""
    while j > 0 and toks[j].lower in section("skip") and toks[j].lower not in COPULAS:
        j -= 1
    return j


# Auxiliaries that open a finite verb group with a past participle (`and has said`, `but had warned`) or with a
# base form (`but did not recommend`, `and will say`, `but wouldn't say`): closed-class English words.
PERFECT_AUX = section("perfect_aux")
MODAL_AUX = section("modal_aux")


def before_verb_group(toks: list[Token], k: int, base_form: bool) -> tuple[int, bool]:
    """Step left from the verb at token k over adverbs and the auxiliary its form takes (`has`/`have`/`had` before a
    participle, `did`/`will`/`would`/… before a base form, negated ones included); (the index reached, whether
    such an auxiliary was stepped over). `and has said`, `but did not recommend`, `and wouldn't say`."""
    j = k - 1
    stepped = False
    while j > 0:
        low = toks[j].lower.replace("’", "'")
        aux = low[:-3] if low.endswith("n't") else low
        if (base_form and aux in MODAL_AUX) or (not base_form and aux in PERFECT_AUX):
            stepped = True
        elif not (low in section("skip") and low not in COPULAS) and low != "n't":
            break
        j -= 1
    return j, stepped


def _inserted_start(toks: list[Token], k: int) -> int | None:
    """The first token of an interjected phrase or a time phrase ending at token k, else None."""
    if toks[k].text == ",":
        return _interjection_start(toks, k)
    return _time_phrase_start(toks, k)


def _interjection_start(toks: list[Token], k: int) -> int | None:
    """For the comma at token k closing an interjected phrase (`, however,`, `, for example,`): the index of
    the comma opening it, else None."""
    for p in range(k - 2, max(-1, k - MAX_PP_WORDS - 2), -1):
        if toks[p].text == ",":
            words = toks[p + 1:k]
            if " ".join(t.lower for t in words) in INTERJECTED:
                return p
            # "Mr. Trump, in a brief interview on Saturday, said": a prepositional phrase, no verb in it
            pp = words[0].lower in _INSERTED_PREPOSITIONS and all(t.is_word and t.lower not in FINITE for t in words)
            return p if pp else None
    return None


def _time_phrase_start(toks: list[Token], k: int) -> int | None:
    """For a time phrase ending at token k between a subject and its verb (`last week`, `on Sunday`,
    `Tuesday`): the index of its first token, else None. A phrase after a participle belongs to it
    (`a report released last week said`)."""
    if toks[k].lower not in CALENDAR_WORDS and toks[k].lower not in TIME_NOUNS:
        return None
    words = section("time_phrase") | CALENDAR_WORDS | DATE_PREPOSITIONS
    j = k
    while j > 0 and (toks[j - 1].lower in words or toks[j - 1].text[0].isdigit()):
        j -= 1
    if toks[k].lower in TIME_NOUNS and j == k:
        return None  # "the week", "a year": a bare noun is no time phrase
    before = toks[j - 1] if j > 0 else None
    if before is None or (before.text[0].islower() and (before.lower.endswith("ed") or before.lower == "out")):
        return None
    return j


# Most words of `in` + a document noun between a subject and its verb (`in his announcement speech`).
MAX_DOCUMENT_PP = 5
# Nouns of what someone said something in, besides the document nouns (`in a speech`, `in an op-ed`).
_SPOKEN_IN = frozenset({"speech", "speeches", "remarks", "op-ed", "appearance", "testimony", "post", "posts", "tweets"})


@cache
def _inserted_phrases() -> dict[str, frozenset[str]]:
    """The phrases of `[inserted_phrases]`, keyed by their last word."""
    out: dict[str, set[str]] = {}
    for p in section("inserted_phrases"):
        out.setdefault(p.rsplit(" ", 1)[-1], set()).add(p)
    return {k: frozenset(v) for k, v in out.items()}


def _bare_phrase_start(toks: list[Token], k: int) -> int | None:
    """For a phrase ending at token k between a subject and its verb with no commas: a fixed adverbial phrase
    (`at the time`, `in the past`) or `in` + a document or speech (`in a Medium post`, `in his announcement
    speech`); the index of its first token, else None."""
    low = toks[k].lower
    phrases = _inserted_phrases().get(low)
    if phrases:
        for n in (2, 3, 4):
            if k - n + 1 >= 1 and " ".join(t.lower for t in toks[k - n + 1:k + 1]) in phrases:
                return k - n + 1
    if low in _SPOKEN_IN or low in lexicon.words("document_nouns"):
        for j in range(k - 1, max(0, k - MAX_DOCUMENT_PP), -1):
            t = toks[j]
            if t.lower == "in" and t.text[0] == "i":
                return j if j >= 1 and toks[j - 1].is_word and toks[j - 1].lower not in section("boundary") else None
            if not t.is_word or t.lower in FINITE or t.lower in section("boundary"):
                return None
    return None


# Quantifiers that float after an auxiliary, away from the subject they belong to (`have both urged`).
FLOATING_QUANTIFIERS = frozenset({"both", "all", "each"})


def skip_back(toks: list[Token], k: int) -> int:
    """Step left over adverbs, auxiliaries and a parenthesis (`(D-Mo.)`) between a subject and its verb."""
    skip = section("skip")
    while k >= 0:
        if toks[k].lower in skip or toks[k].lower.endswith(("n’t", "n't")) or _adverb_in_ly(toks, k):
            k -= 1  # "has long", "didn't", "frequently"
        elif toks[k].lower in FLOATING_QUANTIFIERS and k > 0 and (toks[k - 1].lower in skip or (
                toks[k - 1].is_word and toks[k - 1].lower not in section("determiners")
                and (toks[k - 1].is_capitalised or toks[k - 1].lower.endswith("s")))):
            k -= 1  # "Cruz and Rubio have both urged", "the ministers all urged": the quantifier floats
        elif (j := _inserted_start(toks, k)) is not None:
            k = j - 1  # "Some Democrats, however, question …", "Feinstein last week said", "X, who …, on Sunday defended"
        elif (j := _bare_phrase_start(toks, k)) is not None:
            k = j - 1  # "Trump at the time said", "Jeb Bush in a Medium post said"
        elif toks[k].text == ")":
            j = k
            while j >= 0 and toks[j].text != "(" and k - j < 12:
                j -= 1
            if j < 0 or toks[j].text != "(":
                return k
            k = j - 1
        else:
            return k
    return k


def _adverb_in_ly(toks: list[Token], k: int) -> bool:
    """Is token k an adverb in `-ly` (`frequently`)? Not after a determiner or a possessive, where such a
    word is a noun or an adjective (`the family said`, `his ally`, `the elderly`)."""
    t = toks[k]
    if not (t.lower.endswith("ly") and t.text[0].islower() and len(t.text) > 4):
        return False
    prev = toks[k - 1] if k > 0 else None
    return prev is None or not (prev.lower in section("determiners") or prev.text.endswith(("’s", "'s")))
