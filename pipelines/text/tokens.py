"""Word tokens with character offsets, and small predicates on them shared by the extractors."""

from __future__ import annotations

import re
from typing import NamedTuple

# abbreviated titles with their stop (Rep., Gen.), dotted abbreviations (U.S., G.K.), an initial
# before a name (J. Smith), words with inner apostrophes or hyphens, numbers with separators,
# then any single non-space character
_TITLES = "Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Cmdr|Brig|Sen|Rep|Gov|Rev|Fr|Hon|St|Jr|Sr|Atty|Supt|Gens|Reps|Sens"
_TOKEN = re.compile(
    rf"(?:{_TITLES})\.(?=\s)|(?:[A-Za-z]\.){{2,}}|[A-Z]\.(?=\s+[A-Z])|\w+(?:[’'\-]\w+)*(?:[.,]\d+)*|[^\w\s]"
)
POSSESSIVE = ("’s", "'s")


class Token(NamedTuple):
    text: str
    start: int
    end: int
    lower: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters) and len(self.text) <= 8

    @property
    def bare(self) -> str:
        """The word without a possessive ending: `Pakistan’s` -> `Pakistan`."""
        return self.text[:-2] if self.text.endswith(POSSESSIVE) else self.text

    @property
    def bare_end(self) -> int:
        return self.end - 2 if self.text.endswith(POSSESSIVE) else self.end


def strip_possessive(word: str) -> str:
    """`Pakistan’s` -> `Pakistan`, `Generals’` -> `Generals`; other words unchanged."""
    if word.endswith(POSSESSIVE):
        return word[:-2]
    if word.endswith(("’", "'")) and word[-2:-1] in "sS":
        return word[:-1]
    return word


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]`, offsets into `text`."""
    end = len(text) if end is None else end
    new = tuple.__new__  # a NamedTuple built without `_make`'s extra call: a fifth of tokenising time
    return [new(Token, (w, a, a + len(w), w.lower())) for m in _TOKEN.finditer(text, start, end)
            for w, a in ((m.group(), m.start()),)]
