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


def by_first_letter(alternatives: list[str]) -> str:
    """`(?:seven|six|some|\\d{1,3})` written `(?:s(?:even|ix|ome)|\\d{1,3})`: alternatives that open with a
    lower-case letter grouped under it, in their order; the others (which must open with a digit class)
    left as they are. Only the alternatives of one letter can match at one position, so the pattern finds
    the same, also case-blind, but a search tries one group there instead of every alternative."""
    groups: dict[str, list[str]] = {}  # a letter -> what follows it in each of its alternatives, in order
    order: list[str] = []  # the letters and the digit alternatives, in order of first appearance
    for alt in alternatives:
        if "a" <= alt[:1] <= "z":
            if alt[0] not in groups:
                groups[alt[0]] = []
                order.append(alt[0])
            groups[alt[0]].append(alt[1:])
        elif alt.startswith("\\d"):
            order.append(alt)
        else:
            raise ValueError(f"an alternative opens with neither a lower-case letter nor a digit: {alt}")
    return "(?:" + "|".join(f"{k}(?:{'|'.join(groups[k])})" if k in groups else k for k in order) + ")"
