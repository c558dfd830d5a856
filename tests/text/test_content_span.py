"""Content span (`pipelines/text/content_span.py`): where reported content starts (own texts)."""

import pytest

from tests.text.helpers import Result


def _frame(text: str) -> tuple[str, str, str]:
    """(source words, cue lemma, content without its final stop) of the one attributed claim."""
    r = Result(text)
    (claim,) = r.attributed()
    return r.span(claim, "source_start", "source_end"), claim["cue"], claim["text"].rstrip(".")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # `this`/`these` and a noun before a verb: the subject of the reported clause
        ("The judges thought this new rule would be unfair.", "this new rule would be unfair"),
        ("The judges said these new rules are unfair.", "these new rules are unfair"),
        # `this` and a time noun: an adverbial between the cue and its clause
        ("The mayor said this week the plan would fail.", "the plan would fail"),
        ("The mayor said this summer the plan would fail.", "the plan would fail"),
    ],
)
def test_a_demonstrative_phrase_after_the_cue(text, content):
    assert _frame(text)[2] == content


@pytest.mark.parametrize(
    "text",
    [
        "In her statement condemning the attack, the minister called for calm.",
        "After the vote on the bill, the minister called for calm.",
    ],
)
def test_an_opening_prepositional_phrase_is_not_the_content_of_a_cue_with_its_own_object(text):
    assert _frame(text) == ("the minister", "call for", "calm")


def test_an_opening_phrase_before_a_cue_that_needs_a_clause_reports_nothing():
    assert Result("After the vote on the bill, the minister said no.").attributed() == []


def test_a_clause_set_off_before_a_closing_frame_is_still_its_content():
    assert _frame("In 2010 the company lost money, records show.") == ("records", "show", "In 2010 the company lost money")


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        ("Many economists expect the central bank to raise rates.", "Many economists", "expect",
         "the central bank to raise rates"),
        ("Most voters want the council to cut taxes.", "Most voters", "want", "the council to cut taxes"),
    ],
)
def test_a_noun_object_and_its_infinitive_after_a_cue_that_needs_a_clause(text, source, cue, content):
    assert _frame(text) == (source, cue, content)


def test_a_plain_noun_object_after_a_cue_that_needs_a_clause_is_still_no_report():
    assert Result("Most voters want the council.").attributed() == []


def test_a_negated_response_cue_reports_what_it_did_not_answer():
    assert _frame("The campaign did not respond to a request for comment.") == (
        "The campaign", "respond", "to a request for comment")


def test_an_answered_response_with_to_is_no_report():
    assert Result("He responded to the crowd with a wave.").attributed() == []


@pytest.mark.parametrize(
    "text",
    [
        "Jo Hale, who wrote to the board, said the grants should be cut.",
        "Jo Hale, who reports to the council, said the grants should be cut.",
        "Jo Hale, who testified before the committee, said the grants should be cut.",
    ],
)
def test_a_relative_cue_and_its_adverbial_do_not_take_the_main_clause(text):
    # the phrase after the relative clause's cue is no adverbial before a reported clause: the main verb comes first
    r = Result(text)
    frames = [(r.span(c, "source_start", "source_end"), c["text"].rstrip(".")) for c in r.attributed()]
    assert frames == [("Jo Hale", "the grants should be cut")]
