"""Learned cue probabilities: how often a word, read outside quotation marks, heads an attribution cue.

The table (`lexicons/learned_cues.tsv`, written by `make train` from the annotated PolNeAR training
split) holds, for each lower-cased word form, the kind of word that follows it (`that`, `to`, a
quotation or colon, or anything else) and the kind of word its subject slot holds (a pronoun, a name,
a determiner, ...: `before_class`), how many times the form was the head of a gold cue and how many
times it occurred. `probability(form, after, before)` backs off from the full context to the form and
what follows, and from there to the form's own rate, so a form seen rarely in one context still gets
a sensible estimate. The frame rules in
`attribution.py` use it for words the hand-made reporting-verb lexicon does not list.
"""

from __future__ import annotations

from functools import cache

from pipelines.text.attribution_base import PRONOUNS, RELATIVE_SUBJECTS, skip_back
from pipelines.text.count_tables import Counts, CountTable
from pipelines.text.frame_words import section
from pipelines.text.tokens import Token

TABLE_FILE = "learned_cues.tsv"
# Prior weight (in pseudo-occurrences) pulling a context's estimate towards the form's overall rate,
# and a full context's (with the subject slot) towards the form-and-following-word estimate.
SMOOTHING = 5.0
SUBJECT_SMOOTHING = 5.0
# The rest of a (form, following word) pair's occurrences, in subject contexts too rare to list.
OTHER_SUBJECTS = "*"
# Forms seen fewer times than this in training have no reliable rate and are not used as cues.
MIN_OCCURRENCES = 5
# A word outside the lexicon is read as a cue from this probability on (chosen by cross-validation
# over the PolNeAR folds: see docs/QUALITY.md).
MIN_PROBABILITY = 0.3



def after_class(tokens: list[Token], k: int) -> str:
    """What follows token k: `that`, `to`, `quote` (a quotation mark or colon), `name` or `other`."""
    if k + 1 >= len(tokens):
        return "end"
    nxt = tokens[k + 1]
    if nxt.lower in ("that", "to"):
        return nxt.lower
    if nxt.text in ":“\"‘'«":
        return "quote"
    return "other"


def before_class(tokens: list[Token], k: int) -> str:
    """What fills the subject slot of token k (adverbs and auxiliaries skipped): `start`, `punct`,
    `pron` (he, who, that), `det` (a determiner: `the`, `his`), `name` (a capitalised word), `fn` (a
    preposition or conjunction) or `noun` (any other lower-case word)."""
    j = skip_back(tokens, k - 1)
    if j < 0:
        return "start"
    t = tokens[j]
    if not t.is_word:
        return "punct"
    if t.lower in PRONOUNS or t.lower in RELATIVE_SUBJECTS or t.lower == "that":
        return "pron"
    if t.lower in section("determiners"):
        return "det"
    if t.text[0].isupper():
        return "name"
    return "fn" if t.lower in section("boundary") else "noun"


TABLE = CountTable(TABLE_FILE, key_fields=3)


def counts() -> Counts:
    """The table in use: the shipped one, or one installed by `use` (cross-validation)."""
    return TABLE.counts()


def use(table: Counts | None) -> None:
    """Install `table` instead of the shipped one (None restores it); for cross-validation only."""
    TABLE.use(table)


@cache
def _totals(key: int) -> tuple[dict[str, tuple[int, int]], dict[tuple[str, str], tuple[int, int]]]:
    """Counts summed per form and per (form, following word) over the table's rows."""
    forms: dict[str, list[int]] = {}
    pairs: dict[tuple[str, str], list[int]] = {}
    for (form, after, _), (c, n) in counts().items():
        for cell in (forms.setdefault(form, [0, 0]), pairs.setdefault((form, after), [0, 0])):
            cell[0] += c
            cell[1] += n
    return ({f: (c, n) for f, (c, n) in forms.items()}, {p: (c, n) for p, (c, n) in pairs.items()})


@cache
def _candidates(key: int) -> frozenset[str]:
    forms, _ = _totals(key)
    prior = {f for f, (c, n) in forms.items() if n >= MIN_OCCURRENCES and c / n >= MIN_PROBABILITY}
    return frozenset(prior) | frozenset(f for f, a, b in counts() if probability(f, a) >= MIN_PROBABILITY
                                        or (b != OTHER_SUBJECTS and probability(f, a, b) >= MIN_PROBABILITY))


def candidates() -> frozenset[str]:
    """Forms that are read as cues in at least one context: a word outside this set never is."""
    return _candidates(TABLE.generation)


def probability(form: str, after: str, before: str | None = None) -> float:
    """Smoothed P(cue | form, what follows, what fills the subject slot); 0 for forms too rare in
    training. Without `before`, the estimate for the form and what follows alone."""
    forms, pairs = _totals(TABLE.generation)
    c_all, n_all = forms.get(form, (0, 0))
    if n_all < MIN_OCCURRENCES:
        return 0.0
    c, n = pairs.get((form, after), (0, 0))
    pair = (c + SMOOTHING * c_all / n_all) / (n + SMOOTHING)
    if before is None:
        return pair
    c, n = counts().get((form, after, before), (0, 0))
    return (c + SUBJECT_SMOOTHING * pair) / (n + SUBJECT_SMOOTHING)
