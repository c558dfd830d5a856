"""Subjects found from the clause's start: a purpose infinitive's subject is the whole phrase opening the clause."""

import pytest

from tests.text.helpers import Result


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Democratic voters are slightly more likely to say that the mayor speaks for them.", "Democratic voters"),
        ("Young voters were quick to say that the mayor speaks for them.", "Young voters"),
        ("Scottish farmers rushed to warn that the new tariff would ruin them.", "Scottish farmers"),
        ("General Petrov went on air to warn that the city would fall.", "General Petrov"),  # a name, as before
    ],
)
def test_an_adjective_and_its_noun_before_a_purpose_infinitive_are_the_subject(text, source):
    r = Result(text)
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == source


def test_a_coordinated_cue_after_an_apposition_goes_to_the_named_subject():
    r = Result("One of the farmers, Tom Hill, had sold his land and said the new quota would ruin the village.")
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == "Tom Hill"
    assert claim["text"].startswith("the new quota")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # an adverb between the description and its verb is no time phrase opening the clause
        ("The landlord later sued, claiming the new rules broke his contract.", "The landlord",
         "the new rules broke his contract"),
        # an irregular past tense ends the description
        ("The head teacher began by praising the pupils, saying that the results were the best in years.",
         "The head teacher", "the results were the best in years"),
    ],
)
def test_a_participle_after_a_comma_goes_to_the_description_opening_the_clause(text, source, content):
    r = Result(text)
    claims = [c for c in r.attributed() if c["text"].rstrip(".") == content]
    assert claims, [c["text"] for c in r.attributed()]
    assert r.span(claims[0], "source_start", "source_end") == source


def test_a_time_phrase_opening_the_clause_is_still_no_speaker():
    r = Result("Hours later, the landlord sued, claiming the new rules broke his contract.")
    claims = [c for c in r.attributed() if c["text"].startswith("the new rules")]
    assert claims and r.span(claims[0], "source_start", "source_end") == "the landlord"
