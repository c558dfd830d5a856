import re

import pytest

from pipelines.text.fast_patterns import word_start

WORDS = "(?:Monday|Mon|May|AND|And|a)"


@pytest.mark.parametrize("text", ["Monday and Mondays", "xMonday, (Monday) _Mon", "AND And a aMay May-be", "", "Mon",
                                  "éMay 1May", "the day a\u0301nd"])
def test_word_start_finds_what_a_leading_word_boundary_finds(text):
    fast, slow = re.compile(word_start(WORDS)), re.compile(r"\b" + WORDS)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]


def test_word_start_wants_words():
    with pytest.raises(ValueError):
        word_start(r"(?:\d+|Monday)")
