"""The extraction core's work grows linearly with the text, counted in Python lines run (not timed):
hostile shapes (one sentence full of quotation marks or of pronouns, thousands of one-line sentences)
once hid per-quote and per-pronoun scans over the whole sentence, quadratic in its length."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.text.article import analyse
from pipelines.text.normalise import normalise

# Lines run per character at 4 times the size, over the small size: measured 0.99-1.00 for these
# shapes; a scan over the sentence per quote read 1.44 (its share of the work grows with the size).
# Room for small tables that grow with the text, none for a scan per quote.
MAX_GROWTH = 1.2
REPO = Path(__file__).resolve().parents[2]
SUBPROCESS_TIMEOUT_S = 300  # a hang guard, not a speed target: the three shapes take seconds
SHAPES = {
    "quotes_in_one_sentence": "“Yes,” said Jane Okafor, ‘the 'x ",
    "one_line_sentences": "Jane Okafor said\n",
    "split_quotes": "“We will,” said the minister, “and soon,” ",
    "pronouns_in_one_sentence": "He said 'x and “y ‘z ",
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


def growth(unit: str) -> float:
    """Lines run per character at 40 KB over those at 10 KB, for `unit` repeated (whole repetitions, so
    both texts end alike: where the text is cut decides which frames are read)."""
    analyse("warm", "Warm up, said Jane Okafor. “Yes,” she said.")  # lexicons load outside the count
    small, large = (normalise(unit * (n // len(unit))) for n in (10_000, 40_000))
    return (_lines_run(large) / len(large)) / (_lines_run(small) / len(small))


@pytest.mark.parametrize("unit", SHAPES.values(), ids=SHAPES.keys())
def test_lines_run_per_character_do_not_grow_with_size(unit):
    # in a fresh process: in the full suite, state other tests leave behind (threads, trace hooks) made
    # the traced analysis crawl
    out = subprocess.run([sys.executable, "-c", f"from tests.text.test_linear_work import growth; print(growth({unit!r}))"],
                         cwd=REPO, capture_output=True, text=True, check=True, timeout=SUBPROCESS_TIMEOUT_S)
    assert float(out.stdout.split()[-1]) <= MAX_GROWTH
