"""Cue finding (`pipelines/text/cue_finding.py`): which word of the frame is the cue (own texts)."""

import pytest

from pipelines.text import cue_finding
from pipelines.text.tokens import tokenize
from tests.text.helpers import Result


def _frame(text: str) -> tuple[str, str, str]:
    """(source words, cue lemma, content without its final stop) of the one attributed claim."""
    r = Result(text)
    (claim,) = r.attributed()
    return r.span(claim, "source_start", "source_end"), claim["cue"], claim["text"].rstrip(".")


@pytest.mark.parametrize("aux", ["cannot", "can't", "can", "shouldn't", "mustn't", "may", "shall"])
def test_a_modal_or_negated_auxiliary_is_never_the_cue(aux):
    # the verb after the auxiliary is the cue, even one that is also a noun (`claim`)
    assert _frame(f"The senator {aux} claim that the bill is popular.") == ("The senator", "claim", "the bill is popular")


@pytest.mark.parametrize("aux", ["cannot", "shall", "won't"])
def test_a_modal_auxiliary_is_not_part_of_the_source(aux):
    assert _frame(f"The company {aux} confirm that the plant had closed.") == ("The company", "confirm",
                                                                               "the plant had closed")


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The minister ended the debate by saying he was ready to resign.", "say", "he was ready to resign"),
        ("The senator voted for the bill after insisting that it would cut costs.", "insist", "it would cut costs"),
        ("The mayor won the crowd over by promising to cut taxes.", "promise", "to cut taxes"),
    ],
)
def test_a_participle_after_a_preposition_reports_for_its_clause_subject(text, cue, content):
    assert _frame(text) == (text.split(" ", 2)[0] + " " + text.split(" ", 2)[1], cue, content)


def test_a_participle_opening_the_sentence_is_left_to_the_opening_frame():
    toks = tokenize("After saying goodbye, she left.", 0, 31)
    assert not cue_finding.prepositional_participle(toks, 1)


@pytest.mark.parametrize(
    ("text", "source", "cue"),
    [
        # a word that is also a noun is a verb before an object pronoun
        ("A video of the rally shows him pushing a protester.", "A video of the rally", "show"),
        ("The minister's office calls it an attack on the courts.", "The minister's office", "call"),
        # ... and after a time phrase, before its object
        ("A poll out this week shows the mayor ahead.", "A poll", "show"),
    ],
)
def test_a_noun_like_cue_before_its_object_is_a_verb(text, source, cue):
    assert _frame(text)[:2] == (source, cue)


@pytest.mark.parametrize(
    "text",
    [
        "He watched the late night shows that mock the president.",  # a relative clause after a noun
        "The questions it must answer are hard.",  # a noun after a determiner, whatever follows
    ],
)
def test_a_noun_like_cue_read_as_a_noun_is_no_cue(text):
    r = Result(text)
    assert all(c["cue"] != "show" and c["cue"] != "question" for c in r.attributed())


def test_a_participle_with_nothing_after_it_is_a_noun():
    r = Result("The deal must be set down in writing - whatever the lawyers think.")
    assert all(c["cue"] != "write" for c in r.attributed())


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The women say the plan will fail.", "The women", "the plan will fail"),
        ("The fishermen believe the quota is too low.", "The fishermen", "the quota is too low"),
        ("Farmers in the valley say the river is drying up.", "Farmers in the valley", "the river is drying up"),
        ("Most residents across the region think the new road is a mistake.",
         "Most residents across the region", "the new road is a mistake"),
    ],
)
def test_a_base_form_after_the_end_of_a_plural_subject_is_its_verb(text, source, content):
    # `the women say`, `... in the valley say`: not a noun modified by the word before it (`a Sunday tweet`)
    assert _frame(text) == (source, "say" if "say" in text else ("believe" if "believe" in text else "think"), content)


@pytest.mark.parametrize(
    "text",
    [
        "The council published the party plan on Monday.",  # a noun-like cue after a prepositional object stays a noun
        "She read a Sunday tweet from the minister.",
    ],
)
def test_a_base_form_modified_by_a_noun_is_no_cue(text):
    assert all(c["cue"] not in {"plan", "tweet"} for c in Result(text).attributed())


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The council released a statement saying the plant would close.", "The council", "the plant would close"),
        ("The union sent out a letter urging members to vote.", "The union", "members to vote"),
        ("Ann Reid, the club's chairwoman, issued a statement confirming the ground will be sold.", "Ann Reid",
         "the ground will be sold"),
    ],
)
def test_a_speech_participle_after_a_document_reports_for_its_issuer_or_the_document(text, source, content):
    # `a statement saying …`: a reduced relative clause; whoever issued the document speaks, else the document
    assert _frame(text)[0::2] == (source, content)


def test_a_document_participle_in_an_opening_phrase_leaves_the_main_frame():
    # `In a statement defending …, X said …`: the main clause's report is read, not the opening phrase's
    assert _frame("In a statement defending the coach, the club said he would stay.") == ("the club", "say",
                                                                                          "he would stay")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("Party leaders are increasingly admitting that they are nervous.", "Party leaders", "they are nervous"),
        ("The mayor is also saying the plan will work.", "The mayor", "the plan will work"),
        ("The unions were not demanding a pay rise.", "The unions", "a pay rise"),
    ],
)
def test_a_progressive_with_an_adverb_before_its_ing_form_is_a_cue(text, source, content):
    assert _frame(text)[0::2] == (source, content)


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("If Smith wins, media outlets estimate Jones needs half the votes.", "media outlets", "Jones needs half the votes"),
        ("News outlets call the race for Smith.", "News outlets", "the race for Smith"),
    ],
)
def test_a_noun_like_base_form_after_a_plural_and_before_its_object_is_a_verb(text, source, content):
    assert _frame(text)[0::2] == (source, content)


def test_a_noun_like_cue_after_a_relative_pronoun_is_a_verb():
    r = Result("Mr Bell, who calls the plan a disaster, said he would resign.")
    assert [(c["cue"], c["text"].rstrip(".")) for c in r.attributed()] == [("call", "the plan a disaster"),
                                                                           ("say", "he would resign")]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The minister isn’t saying what the plan will cost.", "The minister", "what the plan will cost"),
        ("He’s not saying which schools will close.", "He", "which schools will close"),
        ("They aren't saying whether the talks failed.", "They", "whether the talks failed"),
    ],
)
def test_a_progressive_with_a_negated_or_contracted_auxiliary_is_a_cue(text, source, content):
    assert _frame(text) == (source, "say", content)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Those polled say the tax is too high.", "Those polled"),
        ("By big margins, those surveyed say the economy should come first.", "those surveyed"),
    ],
)
def test_a_base_form_after_those_and_a_participle_is_a_verb(text, source):
    # `a Sunday tweet`: a base form after a determiner and a word is a noun; `those surveyed say` is a subject and verb
    assert _frame(text)[:2] == (source, "say")


@pytest.mark.parametrize(
    "text",
    [
        "A poll, conducted by the county council, shows Hale with 47 percent.",
        "A poll, conducted jointly with the county council, shows Hale with 47 percent.",
    ],
)
def test_a_noun_like_cue_after_an_apposition_and_before_a_name_is_a_verb(text):
    assert _frame(text) == ("A poll", "show", "Hale with 47 percent")


def test_a_noun_like_cue_in_a_list_stays_a_noun():
    assert Result("The theatre hosts concerts, shows, and festivals.").attributed() == []
