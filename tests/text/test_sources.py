"""Naming a source: a description whose preposition's object is a name is the people or the role holder it
describes, not the name (`analysts at X`, `the chief executive of X`); a title never eats a description."""

import pytest

from pipelines.schemas import SCHEMAS, frame
from pipelines.text.roles import split_title
from tests.text.helpers import Result


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Analysts at Halvorsen Bank said the rate would rise next month.", "Analysts at Halvorsen Bank", "anonymous"),
        ("Traders in Frankfurt said the euro was weak against the dollar.", "Traders in Frankfurt", "group"),
        ("Lawyers for Maria Lindqvist said the case would be appealed this week.", "Lawyers for Maria Lindqvist", "group"),
        ("On Monday, campaigners from Greenpeace said the spill was worse than reported.", "campaigners from Greenpeace",
         "group"),
        ("The chief executive of Halvorsen Bank said profits rose by 5% last year.", "chief executive of Halvorsen Bank",
         "anonymous"),
        ("The leader of the opposition said the budget was a disgrace.", "leader of the opposition", "anonymous"),
        ("The boss of the BBC said the licence fee was fair and would stay.", "boss of the BBC", "anonymous"),
        ("The president of France said the treaty would be signed next week.", "president of France", "anonymous"),
        ("Polls in New Hampshire show the senator leading by a wide margin.", "Polls in New Hampshire", "document"),
        ("Three newspapers in Ohio said they would endorse the governor.", "newspapers in Ohio", "organisation"),
    ],
)
def test_a_description_naming_someone_after_its_preposition_is_the_speaker(text, name, kind):
    r = Result(text)
    (claim,) = r.attributed()
    source = r.sources[claim["source_id"]]
    SCHEMAS["sources"].validate(frame("sources", r.rows["sources"]))  # a person's name never opens with a title
    assert (source["name"], source["source_type"], source["entity_id"]) == (name, kind, None)
    assert r.span(claim, "source_start", "source_end").lower().endswith(name.lower())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A spokesman for Halvorsen Bank said the bank would appeal the ruling.", "Halvorsen Bank"),  # speaks for it
        ("Secretary of State John Kerry said the talks would resume in Geneva.", "John Kerry"),
        ("The Governor of the Bank of England said rates would rise soon.", "Bank of England"),  # a capitalised title
        ("Residents of the town said the water had been brown for days.", "Residents of the town"),
        ("“The numbers are grim,” said party strategist Tom Veldt, president of the Harbour Institute think tank.",
         "Tom Veldt"),  # an apposition after the name
        ("“It will be a disaster,” said the chairman of the committee, Tom Veldt.", "Tom Veldt"),  # named after it
    ],
)
def test_names_and_descriptions_without_a_named_object_are_read_as_before(text, name):
    r = Result(text)
    (claim,) = r.attributed()
    assert r.speaker(claim) == name


def test_a_pronoun_after_such_a_description_points_back_to_the_people_it_names():
    r = Result("Lawyers for Maria Lindqvist said the ruling was unfair. They said an appeal would be lodged.")
    assert [r.speaker(c) for c in r.attributed()] == ["Lawyers for Maria Lindqvist"] * 2


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Councillor Tom Reyes", ("Tom Reyes", "Councillor")),
        ("Prime Minister David Cameron", ("David Cameron", "Prime Minister")),
        ("Mr de Villiers", ("de Villiers", "Mr")),
        ("leader of the opposition", ("leader of the opposition", None)),
        ("chief executive of Halvorsen Bank", ("chief executive of Halvorsen Bank", None)),
    ],
)
def test_a_title_is_split_off_a_name_never_off_a_description(name, split):
    assert split_title(name) == split


@pytest.mark.parametrize("text", ["House Speaker Jane Holloway said the vote was close.",
                                  "Commons Speaker Jane Holloway said the vote was close."])
def test_a_speaker_of_a_house_is_a_title_before_a_person(text):
    r = Result(text)
    (claim,) = r.attributed()
    assert (r.speaker(claim), r.sources[claim["source_id"]]["source_type"]) == ("Jane Holloway", "person")


@pytest.mark.parametrize(("text", "name"), [("There was one suicide every four days, MPs said.", "MPs"),
                                            ("Tory MPs said the plan would fail within a year.", "Tory MPs"),
                                            ("The CEOs said profits would rise next year.", "CEOs")])
def test_a_plural_acronym_names_a_group_not_a_person(text, name):
    r = Result(text)
    (claim,) = r.attributed()
    assert (r.speaker(claim), r.sources[claim["source_id"]]["source_type"]) == (name, "group")


@pytest.mark.parametrize(
    ("text", "span", "name", "kind"),
    [
        ("But Halvorsen Bank and Kestrel Capital said profits would fall this year.", "Halvorsen Bank and Kestrel Capital",
         "Halvorsen Bank and Kestrel Capital", "group"),
        ("On Monday, Maria Lindqvist and Tom Reilly said the plan would fail.", "Maria Lindqvist and Tom Reilly",
         "Maria Lindqvist and Tom Reilly", "group"),
        ("The senator won Michigan and Maria Lindqvist said she was pleased.", "Maria Lindqvist", "Maria Lindqvist",
         "person"),  # a name after a verb is its object
        ("Trade and Industry Secretary Patricia Hewitt said the plan would work.",
         "Trade and Industry Secretary Patricia Hewitt", "Patricia Hewitt", "person"),  # `and` inside a title
    ],
)
def test_two_names_joined_by_and_speak_together(text, span, name, kind):
    r = Result(text)
    (claim,) = r.attributed()
    source = r.sources[claim["source_id"]]
    assert (r.span(claim, "source_start", "source_end"), source["name"], source["source_type"]) == (span, name, kind)
    SCHEMAS["sources"].validate(frame("sources", r.rows["sources"]))
