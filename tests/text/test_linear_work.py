"""The extraction core's work grows linearly with the text, counted in Python lines run (not timed):
hostile shapes (one sentence full of quotation marks, thousands of one-line sentences) once hid
per-quote scans over the whole sentence, quadratic in its length."""

from __future__ import annotations

import sys

import pytest

from pipelines.text.article import analyse
from pipelines.text.normalise import normalise

# Lines run per character at 4 times the size, over the small size: measured 0.99-1.00 for these
# shapes; a scan over the sentence per quote read 1.44 (its share of the work grows with the size).
# Room for small tables that grow with the text, none for a scan per quote.
MAX_GROWTH = 1.2
SHAPES = {
    "quotes_in_one_sentence": "“Yes,” said Jane Okafor, ‘the 'x ",
    "one_line_sentences": "Jane Okafor said\n",
    "split_quotes": "“We will,” said the minister, “and soon,” ",
}


def _lines_run(text: str) -> int:
    """Python lines executed while analysing `text` (generator expressions inside `any()` included)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        analyse("linear", text)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("unit", SHAPES.values(), ids=SHAPES.keys())
def test_calls_per_character_do_not_grow_with_size(unit):
    analyse("warm", "Warm up, said Jane Okafor. “Yes,” she said.")  # lexicons load outside the count
    # whole repetitions, so both texts end alike (where the text is cut decides which frames are read)
    small, large = (normalise(unit * (n // len(unit))) for n in (10_000, 40_000))
    growth = (_lines_run(large) / len(large)) / (_lines_run(small) / len(small))
    assert growth <= MAX_GROWTH, growth
