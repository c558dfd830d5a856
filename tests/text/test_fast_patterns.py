import re

import pytest

from pipelines.text.fast_patterns import by_first_letter, word_start

WORDS = "(?:Monday|Mon|May|AND|And|a)"


@pytest.mark.parametrize("text", ["Monday and Mondays", "xMonday, (Monday) _Mon", "AND And a aMay May-be", "", "Mon",
                                  "éMay 1May", "the day a\u0301nd"])
def test_word_start_finds_what_a_leading_word_boundary_finds(text):
    fast, slow = re.compile(word_start(WORDS)), re.compile(r"\b" + WORDS)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)]


def test_word_start_wants_words():
    with pytest.raises(ValueError):
        word_start(r"(?:\d+|Monday)")


ALTERNATIVES = ["seventeen", "seven", "several", "six", r"\d{1,3}", "a", "an", "a few", "a couple of", "some"]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@pytest.mark.parametrize("text", ["Seven days, SIX weeks, a few years, an hour, A couple of days, 123 days",
                                  "seventeen sevens several some somewhat", "a", ""])
def test_by_first_letter_finds_what_the_plain_alternation_finds(text, flags):
    def spans(alternation):
        return [(m.span(), m.group(1)) for m in re.finditer(rf"\b({alternation})\s*(days|weeks|\w*)", text, flags)]
    assert spans(by_first_letter(ALTERNATIVES)) == spans("|".join(ALTERNATIVES))


def test_by_first_letter_groups_only_letters_and_digits():
    assert by_first_letter(["seven", "six", r"\d+"]) == r"(?:s(?:even|ix)|\d+)"
    with pytest.raises(ValueError):
        by_first_letter(["Seven"])
