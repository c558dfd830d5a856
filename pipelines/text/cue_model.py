"""Learned cue probabilities: how likely a word outside the lexicon, read outside quotation marks, heads
an attribution cue in its context.

A logistic regression over the word's context (`features`: the form and its crude stem, what follows,
what fills the subject slot, the neighbouring words), fitted by `make train` on the annotated PolNeAR
training split (`scripts/train.py`; scikit-learn is needed for training only). The weights ship in
`lexicons/cue_weights.tsv`, with the forms worth scoring at all (those that scored as a cue at least
once in training): scoring is a sum of a few dictionary lookups. It replaces a backed-off count table
(form, following word, subject slot) that found 48 % precise cues where this finds 55 % at the same
recall (docs/QUALITY.md). The frame rules use it for words the hand-made reporting-verb lexicon lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.text.attribution_base import PRONOUNS, RELATIVE_SUBJECTS, skip_back
from pipelines.text.frame_words import section
from pipelines.text.linear_model import LinearModel, Shipped, parse_rows
from pipelines.text.tokens import Token

WEIGHTS_FILE = "cue_weights.tsv"
# A word outside the lexicon is read as a cue from this probability on (chosen by cross-validation
# over the PolNeAR folds: see docs/QUALITY.md).
MIN_PROBABILITY = 0.25
_SUFFIXES = ("ing", "ed", "es", "s")
MIN_STEM = 3  # letters a stem keeps (`uses` is not stemmed to `u`)
MAX_POSITION = 6  # token positions from here on are one feature value (`late in the sentence`)


def after_class(tokens: list[Token], k: int) -> str:
    """What follows token k: `that`, `to`, `quote` (a quotation mark or colon), `end` or `other`."""
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
    return _slot_class(tokens, skip_back(tokens, k - 1))


def _slot_class(tokens: list[Token], j: int) -> str:
    """`before_class` of the token whose subject slot is token j (-1: none)."""
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


def stem(form: str) -> str:
    """A crude stem shared by a verb's forms (`backed`, `backing`, `backs` -> `back`)."""
    for suffix in _SUFFIXES:
        if form.endswith(suffix) and len(form) - len(suffix) >= MIN_STEM:
            return form[: -len(suffix)]
    return form


def features(tokens: list[Token], k: int, quoted: bool) -> list[str]:
    """The context of token k as feature names; `quoted`: the sentence holds a quotation. The same
    function serves training and reading, so the two cannot drift apart."""
    w = tokens[k].lower
    s = stem(w)
    j = skip_back(tokens, k - 1)
    after, before = after_class(tokens, k), _slot_class(tokens, j)
    subject = tokens[j].lower if j >= 0 else "<s>"
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    nxt_low = nxt.lower if nxt else "</s>"
    return [
        f"f={w}", f"lem={s}", f"suf={w[-3:]}", f"a={after}", f"b={before}", f"fa={w}|{after}",
        f"fb={w}|{before}", f"ab={after}|{before}", f"nx={nxt_low}", f"pv={tokens[k - 1].lower if k else '<s>'}",
        f"ln={s}|{nxt_low}", f"q={quoted}", f"subj={subject if before in ('pron', 'det', 'fn') else before}",
        f"nx2={tokens[k + 2].lower if k + 2 < len(tokens) else '</s>'}", f"pos={min(k, MAX_POSITION)}",
        f"nxcap={bool(nxt and nxt.text[:1].isupper())}", f"lb={s}|{before}",
    ]


@dataclass(frozen=True)
class CueModel(LinearModel):
    """Weights of the logistic regression, and the forms worth scoring (all others score 0)."""

    forms: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> CueModel:
        bias, weights, other = parse_rows(text)
        return cls(bias, weights, frozenset(key for kind, key, _ in other if kind == "form"))

    def dump(self) -> list[str]:
        """The model's rows, sorted (the file `make train` writes, after its header)."""
        weights = self.dump_weights()
        return weights[:1] + [f"form\t{f}\t" for f in sorted(self.forms)] + weights[1:]


TABLE = Shipped(WEIGHTS_FILE, CueModel.parse, CueModel)


def use(model: CueModel | None) -> None:
    """Install `model` instead of the shipped one (None restores it); for cross-validation and tests."""
    TABLE.use(model)


def candidates() -> frozenset[str]:
    """Forms that are read as cues in at least one context: a word outside this set never is."""
    return TABLE.model().forms


def probability(tokens: list[Token], k: int, quoted: bool) -> float:
    """P(token k heads a cue | its context); 0 for forms the model does not score."""
    model = TABLE.model()
    if tokens[k].lower not in model.forms:
        return 0.0
    return model.probability(features(tokens, k, quoted))
