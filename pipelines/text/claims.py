"""Claim typing and hedges: what kind of statement a span is, and how sure it sounds.

`hedges(text)` finds hedge cues on word boundaries (`is believed to`, `reportedly`, `could`).
`assertion_type(text)` says whether an unattributed statement is a `prediction` (future or
conditional), an `evaluation` (a judgement) or a plain `assertion`.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.text import lexicon


@cache
def _pattern(name: str) -> re.Pattern[str]:
    phrases = sorted(lexicon.words(name), key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace("\\ ", r"\s+").replace("'", "['’]") for p in phrases)
    return re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def hedges(text: str) -> list[str]:
    """Hedge cues in `text`, lower-cased, in order of appearance, each once."""
    found: list[str] = []
    for m in _pattern("hedges").finditer(text):
        cue = " ".join(m.group().lower().replace("’", "'").split())
        if cue not in found:
            found.append(cue)
    return found


def hedge_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Offsets of the hedge cues inside text[start:end]."""
    return [m.span() for m in _pattern("hedges").finditer(text, start, len(text) if end is None else end)]


def assertion_type(text: str) -> str:
    """`prediction`, `evaluation` or `assertion` for a statement in the author's voice."""
    if _pattern("prediction_cues").search(text):
        return "prediction"
    if _pattern("evaluation_cues").search(text):
        return "evaluation"
    return "assertion"
