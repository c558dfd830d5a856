"""An opening survey phrase reports the clause after its comma (`survey_clause.py`; own texts)."""

import pytest

from tests.text.helpers import Result


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("In a Herald poll released on Monday, the mayor was nine points ahead of her rival.",
         "a Herald poll", "the mayor was nine points ahead of her rival"),
        ("In the latest county surveys, the mayor leads her rival by nine points.",
         "the latest county surveys", "the mayor leads her rival by nine points"),
        # a time phrase after the poll stays out of the source (a time cannot speak)
        ("But in a Gazette poll last month, the councillor had a 10-point lead.",
         "a Gazette poll", "the councillor had a 10-point lead"),
    ],
)
def test_an_opening_poll_reports_the_clause_after_it(text, source, content):
    r = Result(text)
    claims = [c for c in r.attributed() if c["text"].rstrip(".") == content]
    assert claims, [c["text"] for c in r.attributed()]
    assert r.span(claims[0], "source_start", "source_end") == source
    assert r.sources[claims[0]["source_id"]]["source_type"] == "document"


def test_the_poll_reports_a_clause_with_a_report_of_its_own():
    # one claim per stretch of text: the poll's (PolNeAR gives the opening poll the clause, `most farmers said` and all)
    r = Result("In a new Herald survey, most farmers said they trusted the minister.")
    assert [(r.span(c, "source_start", "source_end"), c["text"].rstrip(".")) for c in r.attributed()] \
        == [("a new Herald survey", "most farmers said they trusted the minister")]


@pytest.mark.parametrize(
    "text",
    [
        "In the polls, anyway, the mayor is well ahead of everyone.",  # no particular poll
        "In eight of the nine towns where exit polls were taken, turnout was low.",  # a clause inside the phrase
        "In a speech on Monday, the mayor thanked the volunteers.",  # no poll
    ],
)
def test_other_opening_phrases_report_nothing(text):
    r = Result(text)
    assert not [c for c in r.attributed() if r.span(c, "cue_start", "cue_end") == "In"]
