import re

from pipelines.text.names import LowerCaseWords

TEXT = "Officials said the long-term plan, Underlined in Trump’s notes, won't change; “eight” e-mails. x_y 3rd"


def test_words_written_in_lower_case_are_found_whole_and_only_those():
    words = LowerCaseWords(TEXT)
    for word in ("said", "the", "long-term", "won't", "eight", "e-mails", "plan", "in"):
        assert word in words
    # capitalised only, part of a longer word, after a capital or an apostrophe, not a lower-case shape
    for word in ("officials", "underlined", "lined", "s", "long", "won", "mails", "y", "rd", "trump", "Plan", ""):
        assert word not in words


def test_the_same_words_as_a_scan_of_the_whole_text():
    scan = frozenset(re.findall(r"(?<![\w’'\-])[a-z][a-z’'\-]*", TEXT))
    candidates = set(re.findall(r"[\w’'\-]+", TEXT.lower())) | {w[1:] for w in scan}
    assert {w for w in candidates if w in LowerCaseWords(TEXT)} == {w for w in candidates if w in scan}
