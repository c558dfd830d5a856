"""Paragraph segmentation and paragraph kinds (headline, standfirst, body, pull quote).

Paragraphs are blank-line separated blocks; a text with no blank lines at all has one paragraph
per line (both conventions occur in real article dumps). A *display* paragraph repeats text that
stands in the body: the headline, and pull quotes, which are short paragraphs whose words also
occur, in order, inside a longer body paragraph (punctuation, quotation marks and hyphens aside).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.text.sentences import split_sentences

HEADLINE_MAX_WORDS = 30
PULL_QUOTE_MAX_WORDS = 60
PULL_QUOTE_MIN_WORDS = 4
STANDFIRST_MAX_WORDS = 45

_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_LINE = re.compile(r"[^\n]+")
_WORD_RUN = re.compile(r"\w+")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen record is three times slower to make
class Paragraph:
    paragraph_no: int
    char_start: int
    char_end: int
    kind: str = "body"
    duplicate_of: int | None = None


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of `text`, leading and trailing spaces excluded."""
    pattern = _BLOCK if "\n\n" in text else _LINE
    spans = []
    for m in pattern.finditer(text):
        start, end = m.span()
        chunk = m.group()
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def comparable(text: str) -> str:
    """Lower-case words joined by single spaces: `Power-sharing “deal”.` -> `power sharing deal`."""
    return " ".join(_WORD_RUN.findall(text.lower()))  # the runs of word characters, as splitting at the rest


def _n_words(text: str) -> int:
    return len(text.split())


def _is_headline_like(text: str) -> bool:
    """One short line, one sentence, not ending like a lead-in."""
    return ("\n" not in text and 0 < _n_words(text) <= HEADLINE_MAX_WORDS and not text.endswith((":", ","))
            and len(split_sentences(text)) == 1)


def segment_paragraphs(text: str, has_external_title: bool = False) -> list[Paragraph]:
    """Paragraphs of `text` with their kind and, for display copies, the body paragraph they repeat.

    `has_external_title` is true when the title came from metadata (front matter, HTML): the first
    line is then a headline only when it repeats that title, which the caller checks beforehand.
    """
    spans = split_paragraphs(text)
    texts = [text[a:b] for a, b in spans]
    keys = [comparable(t) for t in texts]
    kinds = ["body"] * len(spans)
    dup: list[int | None] = [None] * len(spans)

    if len(spans) > 1 and not has_external_title and _is_headline_like(texts[0]):
        kinds[0] = "headline"
        second = texts[1]
        if (
            len(spans) > 3
            and "\n" not in second
            and _n_words(second) <= STANDFIRST_MAX_WORDS
            and not second.rstrip().endswith((".", "”", '"', ":", "?", "!"))
        ):
            kinds[1] = "standfirst"

    # Every key padded, one a line (keys hold no line break). Only a longer paragraph can hold a key, and
    # an identical one holds it exactly once: a key found there no more often than it has copies is in no
    # longer paragraph, and the pairwise look below (quadratic in paragraphs) is skipped for it.
    all_padded = "\n".join(f" {k} " for k in keys)
    copies = Counter(keys)
    in_longer: dict[str, bool] = {}
    for i, key in enumerate(keys):
        if len(key.split()) < PULL_QUOTE_MIN_WORDS or _n_words(texts[i]) > PULL_QUOTE_MAX_WORDS:
            continue
        padded = f" {key} "
        if key not in in_longer:
            in_longer[key] = all_padded.count(padded) > copies[key]
        if not in_longer[key]:
            continue
        for j, other in enumerate(keys):
            if j == i or kinds[j] != "body" or len(other) <= len(key):
                continue
            if padded in f" {other} ":
                dup[i] = j
                if kinds[i] == "body":
                    kinds[i] = "pull_quote"
                break
    return [Paragraph(n, a, b, kinds[n], dup[n]) for n, (a, b) in enumerate(spans)]
