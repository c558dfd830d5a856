"""Frame structure: which frame of a sentence reports what, and where its content ends (own texts)."""

import pytest

from tests.text.helpers import Result


def _frames(text: str) -> list[tuple[str, str, str]]:
    """(source words, cue lemma, content) of every attributed claim, in order."""
    r = Result(text)
    return [(r.span(c, "source_start", "source_end"), c["cue"], c["text"]) for c in r.attributed()]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a description whose relative clause stands between it and the cue is the speaker
        ("The minister, who has faced criticism from the unions, said she regretted her remarks.",
         "The minister", "she regretted her remarks"),
        # a pronoun opening the reported clause after the cue is not an inverted speaker
        ("The head teacher, who had run the school since 2009, said he would step down in July.",
         "The head teacher", "he would step down in July"),
        # survey participles and percentages as subjects
        ("Most residents surveyed said the new bus lanes had made journeys slower.",
         "Most residents surveyed", "the new bus lanes had made journeys slower"),
        ("Those polled said the council tax rise was too steep.", "Those polled", "the council tax rise was too steep"),
        ("The survey was published on Friday. 58% say the service has got worse.", "58%", "the service has got worse"),
        # an adverbial between the cue and its clause
        ("Northfield Water said in a statement on Tuesday night it had fixed the leak.", "Northfield Water",
         "it had fixed the leak"),
        ("The chancellor told MPs on Wednesday that borrowing would fall.", "The chancellor", "borrowing would fall"),
    ],
)
def test_source_and_content(text, source, content):
    frames = _frames(text)
    assert frames, "no attribution found"
    src, _, body = frames[0]
    assert src == source
    assert body.rstrip(".") == content


def test_mid_sentence_frame_after_a_conjunction_reports_the_words_before_it():
    text = "The match went ahead. But the point of the new rules is to protect young players, Coach Ellis said, and the league agreed."
    src, _, body = _frames(text)[0]
    assert src == "Coach Ellis"
    assert body == "the point of the new rules is to protect young players"


def test_a_subordinate_clause_frame_ends_where_the_main_clause_begins():
    text = "Although the governor said the budget was balanced, the auditors warned that it would run short."
    frames = _frames(text)
    assert [(s, c) for s, c, _ in frames] == [("the governor", "say"), ("the auditors", "warn")]
    assert frames[0][2] == "the budget was balanced"
    assert frames[1][2].rstrip(".") == "it would run short"


def test_plain_object_content_stops_at_a_second_verb():
    text = "The senator denied the allegations and accused her opponent of lying."
    src, _, body = _frames(text)[0]
    assert src == "The senator"
    assert body == "the allegations"


def test_short_reported_clause_with_a_pronoun_subject():
    text = "The crowd asked whether the band would play again. They said it would."
    frames = _frames(text)
    assert ("They", "say", "it would.") in frames


def test_an_adverbial_with_nothing_reported_after_it_is_no_attribution():
    assert _frames("The mayor said on Tuesday.") == []


def test_an_inverted_pronoun_closing_the_sentence_is_the_speaker():
    frames = _frames("“We will win,” said he.")
    assert frames and frames[0][0] == "he"
