"""An article's layout: paragraphs with kinds, and sentences nested in them with display flags."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.text.paragraphs import Paragraph, comparable, segment_paragraphs
from pipelines.text.sentences import split_sentences

DISPLAY_KINDS = frozenset({"headline", "standfirst", "pull_quote"})


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen record is three times slower to make
class Sentence:
    sentence_no: int
    paragraph_no: int
    start: int
    end: int
    is_display: bool


@dataclass(frozen=True, slots=True)
class Layout:
    paragraphs: list[Paragraph]
    sentences: list[Sentence]

    def paragraph_spans(self) -> list[tuple[int, int]]:
        return [(p.char_start, p.char_end) for p in self.paragraphs]


def segment(text: str, title: str | None = None, title_from_metadata: bool = False) -> Layout:
    """Paragraphs and sentences of `text`.

    When the title came from metadata, the first paragraph is the headline only if it repeats it.
    """
    paragraphs = segment_paragraphs(text, has_external_title=title_from_metadata)
    if title_from_metadata and title and paragraphs and len(paragraphs) > 1:
        first = paragraphs[0]
        if comparable(text[first.char_start:first.char_end]) == comparable(title):
            paragraphs[0] = Paragraph(0, first.char_start, first.char_end, "headline", first.duplicate_of)
    sentences: list[Sentence] = []
    for p in paragraphs:
        display = p.kind in DISPLAY_KINDS
        spans = [(p.char_start, p.char_end)] if p.kind == "headline" else split_sentences(text, p.char_start, p.char_end)
        for a, b in spans:
            sentences.append(Sentence(len(sentences), p.paragraph_no, a, b, display))
    return Layout(paragraphs, sentences)
