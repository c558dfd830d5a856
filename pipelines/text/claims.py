"""Claim typing and hedges: what kind of statement a span is, and how sure it sounds.

`hedges(text)` finds hedge cues on word boundaries (`is believed to`, `reportedly`, `could`).
`assertion_type(text)` says whether an unattributed statement is a `prediction` (future or
conditional), an `evaluation` (a judgement) or a plain `assertion`.
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.text import lexicon
from pipelines.text.fast_patterns import by_first_letter


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """The phrases of lexicon `name` on word boundaries, longest first, case-blind (grouped by their first
    letter: twice as fast to search, the same matches)."""
    phrases = sorted(lexicon.words(name), key=len, reverse=True)
    alternatives = by_first_letter([re.escape(p).replace("\\ ", r"\s+").replace("'", "['’]") for p in phrases])
    return re.compile(rf"(?<![\w’'-]){alternatives}(?![\w-])", re.IGNORECASE)


def hedges(text: str) -> list[str]:
    """Hedge cues in `text`, lower-cased, in order of appearance, each once."""
    found: list[str] = []
    for m in _pattern("hedges").finditer(text):
        if _is_month(text, m):
            continue
        cue = " ".join(m.group().lower().replace("’", "'").split())
        if cue not in found:
            found.append(cue)
    return found


def hedge_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Offsets of the hedge cues inside text[start:end]."""
    return [m.span() for m in _pattern("hedges").finditer(text, start, len(text) if end is None else end)
            if not _is_month(text, m)]


def _is_month(text: str, m: re.Match[str]) -> bool:
    """Capitalised `May` inside a sentence, or before a number, is the month (or a name), never a hedge."""
    if m.group() != "May":
        return False
    opens_sentence = text[max(0, m.start() - 3):m.start()].rstrip()[-1:] in ("", ".", "!", "?", "“", '"')
    return not opens_sentence or text[m.end():m.end() + 2].strip()[:1].isdigit()


def assertion_type(text: str) -> str:
    """`prediction`, `evaluation` or `assertion` for a statement in the author's voice."""
    if _pattern("prediction_cues").search(text):
        return "prediction"
    if _pattern("evaluation_cues").search(text):
        return "evaluation"
    return "assertion"
