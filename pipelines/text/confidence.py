"""Confidence of an attribution: how likely it is to be right, learned from annotated text.

Each attributed claim is described by a few features (`features`): its *reading* (the frame kind:
`quote`, `reported`, `according`, `continuation`, ...; where the cue came from: `say`, another speech
verb, a belief or intention verb, a cue learned from data; what names the source: a name, a pronoun, a
description; whether the content is quoted), the cue's word, the first word of the source and of the
content, how long each is, whether the cue comes before or after the content, whether the claim
sits in the first paragraph (a headline, mostly), and for a learned cue what the cue model made of
it. A logistic regression over them (`lexicons/confidence_weights.tsv`, written by `make train`) was fitted on the attributions that cross-validation produced on the PolNeAR training
split, each labelled right when its content matched a gold attribution with the right source: its
probability is the confidence, and attributions below `extract.MIN_ATTRIBUTION_CONFIDENCE` are left to
the author's voice. It replaced a table of rates per reading (smoothed towards coarser readings), which
could not tell a learned cue's good contexts from its bad ones (docs/QUALITY.md). Claims in the
author's own voice get the rate at which such sentences carried no annotated attribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipelines.text import lexicon
from pipelines.text.attribution_base import PRONOUNS as SUBJECT_PRONOUNS
from pipelines.text.attribution_base import RELATIVE_SUBJECTS
from pipelines.text.cues import verb_forms
from pipelines.text.linear_model import LinearModel, Shipped, parse_rows

WEIGHTS_FILE = "confidence_weights.tsv"
PRONOUNS = SUBJECT_PRONOUNS | RELATIVE_SUBJECTS  # `he`, `they`, `who`: a pronoun names the source
MAX_LENGTH_CLASS = 7  # word counts from 2**7 on are one length class
MAX_SOURCE_WORDS = 6  # source phrases this long or longer are one length class
FIRST_WORD_CHARS = 40  # the content's first word is looked for in its first characters only


@dataclass(frozen=True)
class ConfidenceModel(LinearModel):
    """The regression's weights, and the rate at which author-voice claims were right (None: unknown)."""

    author: float | None = None

    @classmethod
    def parse(cls, text: str) -> ConfidenceModel:
        bias, weights, other = parse_rows(text)
        return cls(bias, weights, next((float(value) for kind, _, value in other if kind == "author"), None))

    def dump(self) -> list[str]:
        """The model's rows, sorted (the file `make train` writes, after its header)."""
        weights = self.dump_weights()
        return weights[:1] + [f"author\t\t{self.author:.4f}"] + weights[1:]


MODEL = Shipped(WEIGHTS_FILE, ConfidenceModel.parse, ConfidenceModel)


def use(model: ConfidenceModel | None) -> None:
    """Install `model` instead of the shipped one (None restores it); for cross-validation and tests."""
    MODEL.use(model)


def cue_origin(lemma: str | None, form: str | None) -> str:
    """`say`, `speech`, `belief`, `intent`, `according` or `learned` (a cue outside the lexicon)."""
    if lemma is None:
        return "none"
    if lemma == "say":
        return "say"
    if lemma == "according to":
        return "according"
    if form is not None and form not in verb_forms() and lemma not in lexicon.table("reporting_verbs"):
        return "learned"
    return lexicon.table("reporting_verbs").get(lemma, ("speech",))[0]


def source_form(words: str | None) -> str:
    """`none`, `pronoun`, `name` (starts with a capital) or `description`."""
    if not words:
        return "none"
    if words.lower() in PRONOUNS:
        return "pronoun"
    return "name" if words[0].isupper() else "description"


def reading(kind: str, lemma: str | None, form: str | None, source_words: str | None, quoted: bool) -> str:
    """The coarse description of an attribution: frame kind, cue origin, source form, quoting."""
    return "|".join((kind, cue_origin(lemma, form), source_form(source_words), "quoted" if quoted else "plain"))


def _length_class(n: int) -> int:
    """Word counts in classes of powers of two (a count of spaces stands for the words of a content)."""
    return min(int(math.log2(n + 1)), MAX_LENGTH_CLASS)


def features(key: str, form: str | None, source_words: str | None, content: str, cue_after: bool | None,
             first_paragraph: bool) -> tuple[str, ...]:
    """The features of an attribution whose `reading` is `key`: single words of its frame and content
    (lower-cased) and classes, never the sentence. The same function serves training and reading."""
    kind, origin, src, quoted = key.split("|")
    source = (source_words or "").split()
    opening = content[:FIRST_WORD_CHARS].split(None, 1)  # the first word, without splitting a long content
    return (
        f"r={key}", f"k={kind}", f"o={origin}", f"s={src}", f"q={quoted}", f"ko={kind}|{origin}",
        f"cue={form or ''}", f"sw0={source[0].lower() if source else ''}",
        f"slen={min(len(source), MAX_SOURCE_WORDS)}", f"clen={_length_class(content.count(' ') + 1)}",
        f"c0={opening[0].lower() if opening else ''}",
        "at=none" if cue_after is None else ("at=after" if cue_after else "at=before"),
        f"first={first_paragraph}", f"inq={'“' in content or chr(34) in content}",
    )


def cue_class(probability: float) -> str:
    """A learned cue's probability in its context (`cue_model.py`), in tenths: the cue model's own doubt."""
    return f"cp={min(int(probability * 10), 9)}"


def estimate(feats: tuple[str, ...] | None) -> float | None:
    """Probability that an attribution with these features is right; with None, that a claim in the
    author's voice holds no attribution. None when no model is shipped."""
    model = MODEL.model()
    if feats is None:
        return None if model.author is None else round(model.author, 3)
    if not model.weights:
        return None
    return round(model.probability(feats), 3)
