"""Regular expressions written so that a search skips ahead instead of trying every position.

Python's `re` jumps straight to the characters that can open a match only when a pattern opens with a
literal or a character class; one that opens with `\\b` or a lookbehind is tried at every position of
the text, several times slower on whole articles. `word_start` writes a word-boundary alternation the
fast way, finding exactly what `\\b(?:…)` finds.
"""

from __future__ import annotations


def word_start(alternation: str) -> str:
    """`(?:Monday|Tuesday)` found only at the start of a word, as `\\b(?:Monday|Tuesday)` is, with the
    boundary checked after each word's first letter (a lookbehind: no word character before it). The
    alternatives must be plain words, each opening with a letter."""
    words = alternation.removeprefix("(?:").removesuffix(")").split("|")
    if not all(w[:1].isalpha() for w in words):
        raise ValueError(f"not an alternation of words: {alternation}")
    return "(?:" + "|".join(rf"{w[0]}(?<!\w{w[0]}){w[1:]}" for w in words) + ")"
