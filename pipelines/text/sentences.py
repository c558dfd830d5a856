"""Sentence splitting with exact offsets: a fast rule-based splitter for English news text.

A boundary is a `.`, `!` or `?` (or an ellipsis), optionally followed by closing quotation marks or
brackets, then white space, then something that can open a sentence (a capital, a digit, an
opening quotation mark or bracket). It is refused after an abbreviated title (`Gen.`, `Mr.`), an
initial (`J.`), a month before a number (`Sept. 11`), or a dotted abbreviation (`U.S.`) unless
the next word is a usual sentence opener (`U.S. The ...`). Sentences never cross paragraphs.
"""

from __future__ import annotations

import re

from pipelines.text import lexicon
from pipelines.text.cues import verb_forms

# a run of stops, ellipses, `!` and `?`, written with one mark first so that a search skips to the marks
# (a repeated group first is tried at every position: three times slower)
_CANDIDATE = re.compile(r"[.!?…][.!?…]*[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9À-ÖØ-Þ])")
_NEWLINE = re.compile(r"\n")
_TERMINAL = frozenset(".!?:”\"’')]…")
_LINE_OPENERS = frozenset("“\"‘'«―—–-•*")
SHORT_LINE = 50
_CLOSERS = frozenset("\"”’'»)]")
_WORD_BEFORE = re.compile(r"([\w.\-’']+)$")
_NEXT_WORD = re.compile(r"\s+[\"“‘'«(\[]*([\w’'\-]+)")
# Abbreviations that stand before a number: "Sept. 11", "No. 10", "Vol. 3".
_BEFORE_NUMBER = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "pp", "fig", "art"])


# Most capitalised words of a speaker's name between a quoted question or exclamation and its
# reporting verb (`“Why now?” Senator Jane Okafor asked.`).
MAX_NAME_WORDS = 4
_NAME_THEN_VERB = re.compile(rf"\s+((?:[A-Z][\w.’'\-]*\s+){{1,{MAX_NAME_WORDS}}})([a-z]+)\b")
# Capitalised words that open a new sentence rather than a speaker's name.
_NOT_NAMES = frozenset({"the", "a", "an", "this", "that", "these", "those", "he", "she", "it", "they", "we", "i", "you",
                        "but", "and", "then", "there", "here", "his", "her", "their", "its", "our", "my"})


def _is_boundary(text: str, end_of_mark: int, mark_start: int, closes_quote: bool) -> bool:
    if text[mark_start] != ".":
        return not (closes_quote and _frame_follows(text, end_of_mark))
    if closes_quote and _frame_follows(text, end_of_mark) and text[mark_start - 1:mark_start] != ".":
        return False  # British style: `“We will win.” Jane Okafor said.` is one sentence
    return _is_stop(text, end_of_mark, mark_start, closes_quote)


def _frame_follows(text: str, end_of_mark: int) -> bool:
    """After a closing quotation mark: a name and then its reporting verb (`“Why?” Trump asked.`),
    which make the quotation and its frame one sentence, when the quotation opened its sentence (not
    `He called it “unacceptable.” Mayor Lee wrote …`)."""
    if _embedded_quote(text, end_of_mark):
        return False
    m = _NAME_THEN_VERB.match(text, end_of_mark)
    if not m or m.group(1).split()[0].lower() in _NOT_NAMES:
        return False
    return m.group(2) in verb_forms() and not m.group(2).endswith("ing")


_OPENING_MARK = {"”": "“", "’": "‘", "»": "«"}
# How far back the opening mark of a quotation ending a sentence is looked for.
MAX_QUOTE_LOOKBACK = 2000


def _embedded_quote(text: str, end_of_mark: int) -> bool:
    """Does the quotation closing just before `end_of_mark` stand inside a sentence that began before it
    (words between the previous sentence end and its opening mark)?"""
    close = text[end_of_mark - 1] if end_of_mark else ""
    opener = _OPENING_MARK.get(close, close)
    lo = max(0, end_of_mark - MAX_QUOTE_LOOKBACK)
    start = text.rfind(opener, lo, end_of_mark - 1)
    if start < 0:
        return False
    before = text[lo:start]
    cut = max(before.rfind(". "), before.rfind("? "), before.rfind("! "), before.rfind("\n"))
    return any(c.isalpha() for c in before[cut + 1:])


def _is_stop(text: str, end_of_mark: int, mark_start: int, closes_quote: bool) -> bool:
    """Is the full stop at `mark_start` the end of a sentence (not an abbreviation or an initial)?"""
    m = _WORD_BEFORE.search(text, max(0, mark_start - 40), mark_start)
    if not m:
        return True
    word = m.group(1)
    lowered = word.lower().rstrip(".")
    nxt = _NEXT_WORD.match(text, end_of_mark)
    next_word = nxt.group(1) if nxt else ""
    if lowered in lexicon.words("title_abbreviations"):
        return False
    if lowered in _BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    if lowered in _BEFORE_NUMBER and lowered not in lexicon.words("abbreviations"):
        return True
    if closes_quote:  # `said “No.” Then`: a closing mark after the stop confirms the boundary
        return True
    if len(word) == 1 and word.isupper():  # an initial: "George W. Bush"
        return False
    if "." in word.strip("."):  # a dotted abbreviation: U.S., a.m., Ph.D.
        return next_word.lower() in lexicon.words("sentence_starters")
    if lowered in lexicon.words("abbreviations"):
        return next_word.lower() in lexicon.words("sentence_starters")
    return True


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Line breaks inside a paragraph that end a sentence: after terminal punctuation, after a short
    line (a credit, a dateline), or before a line opening with a quotation mark, dash or bullet.
    Hard-wrapped prose (long lines broken mid-sentence) is left joined."""
    out = []
    line_start = start
    for m in _NEWLINE.finditer(text, start, end):
        before = text[line_start:m.start()].rstrip()
        after = text[m.end():m.end() + 1]
        if before and (before[-1] in _TERMINAL or len(before) < SHORT_LINE or after in _LINE_OPENERS):
            out.append(m.start())
        line_start = m.end()
    return out


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside `text[start:end]` (a paragraph), as offsets into `text`."""
    end = len(text) if end is None else end
    cuts = {m.end() for m in _CANDIDATE.finditer(text, start, end)
            if _is_boundary(text, m.end(), m.start(), m.group()[-1] in _CLOSERS)}
    if "\n" in text[start:end]:
        cuts.update(_line_breaks(text, start, end))
    spans: list[tuple[int, int]] = []
    cursor = start
    for cut in sorted(cuts):
        spans.append((cursor, cut))
        cursor = cut
    spans.append((cursor, end))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        a += len(chunk) - len(chunk.lstrip())
        b -= len(chunk) - len(chunk.rstrip())
        if b > a:
            out.append((a, b))
    return out
