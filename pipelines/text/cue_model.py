"""Learned cue probabilities: how often a word, read outside quotation marks, heads an attribution cue.

The table (`lexicons/learned_cues.tsv`, written by `make train` from the annotated PolNeAR training
split) holds, for each lower-cased word form and the kind of word that follows it (`that`, `to`, a
quotation or colon, or anything else), how many times the form was the head of a gold cue and how many
times it occurred. `probability(form, after)` smooths the context count towards the form's own rate,
so a form seen rarely in one context still gets a sensible estimate. The frame rules in
`attribution.py` use it for words the hand-made reporting-verb lexicon does not list.
"""

from __future__ import annotations

from functools import cache

from pipelines.text.count_tables import Counts, CountTable
from pipelines.text.tokens import Token

TABLE_FILE = "learned_cues.tsv"
# Prior weight (in pseudo-occurrences) pulling a context's estimate towards the form's overall rate.
SMOOTHING = 5.0
# Forms seen fewer times than this in training have no reliable rate and are not used as cues.
MIN_OCCURRENCES = 5
# A word outside the lexicon is read as a cue from this probability on (chosen by cross-validation
# over the PolNeAR folds: see docs/QUALITY.md).
MIN_PROBABILITY = 0.35



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


TABLE = CountTable(TABLE_FILE, key_fields=2)


def counts() -> Counts:
    """The table in use: the shipped one, or one installed by `use` (cross-validation)."""
    return TABLE.counts()


def use(table: Counts | None) -> None:
    """Install `table` instead of the shipped one (None restores it); for cross-validation only."""
    TABLE.use(table)


@cache
def _form_totals(key: int) -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = {}
    for (form, _), (c, n) in counts().items():
        t = totals.setdefault(form, [0, 0])
        t[0] += c
        t[1] += n
    return {f: (c, n) for f, (c, n) in totals.items()}


@cache
def _candidates(key: int) -> frozenset[str]:
    contexts = {ctx for _, ctx in counts()}
    return frozenset(f for f, _ in counts() if max(probability(f, c) for c in contexts) >= MIN_PROBABILITY)


def candidates() -> frozenset[str]:
    """Forms that are read as cues in at least one context: a word outside this set never is."""
    return _candidates(TABLE.generation)


def probability(form: str, after: str) -> float:
    """Smoothed P(cue | form, what follows); 0 for forms too rare in training."""
    table = counts()
    totals = _form_totals(TABLE.generation)
    c_all, n_all = totals.get(form, (0, 0))
    if n_all < MIN_OCCURRENCES:
        return 0.0
    prior = c_all / n_all
    c, n = table.get((form, after), (0, 0))
    return (c + SMOOTHING * prior) / (n + SMOOTHING)
