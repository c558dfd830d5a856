"""Attribution cues: reporting-verb forms from the lexicon, with their lemma and class.

`verb_forms()` maps every inflected form (`said`, `argues`, `pointed out`) to (lemma, class).
Regular forms are generated from the lemma; irregular ones are listed in the lexicon.
"""

from __future__ import annotations

from functools import cache

from pipelines.text import lexicon


def _regular_forms(lemma: str) -> list[str]:
    if " " in lemma:  # phrasal: inflect the verb, keep the particle
        verb, particle = lemma.split(" ", 1)
        return [f"{f} {particle}" for f in _regular_forms(verb)]
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma + "s", lemma + "ed", lemma + "ing"]


@cache
def verb_forms() -> dict[str, tuple[str, str]]:
    """form -> (lemma, class) for every reporting, belief and intention verb form."""
    out: dict[str, tuple[str, str]] = {}
    for lemma, values in lexicon.table("reporting_verbs").items():
        cls, irregular = values[0], values[1:]
        forms = [lemma, *_regular_forms(lemma)]
        if irregular:
            # irregular lexicon entries are complete phrases when the lemma is phrasal
            joined = " ".join(irregular)
            forms += [f.strip() for f in joined.replace(" out", " out|").split("|")] if " " in lemma else list(irregular)
        for f in forms:
            f = f.strip()
            if f:
                out.setdefault(f, (lemma, cls))
    return out
