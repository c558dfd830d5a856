"""Source choice (`pipelines/text/source_choice.py`): the words naming the speaker (own texts)."""

import pytest

from tests.text.helpers import Result


def _frame(text: str) -> tuple[str, str, str]:
    """(source words, cue lemma, content without its final stop) of the one attributed claim."""
    r = Result(text)
    (claim,) = r.attributed()
    return r.span(claim, "source_start", "source_end"), claim["cue"], claim["text"].rstrip(".")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a restrictive relative clause between the subject and the cue: the phrase it describes speaks
        ("Parents who lost their jobs said the plan failed.", "Parents", "the plan failed"),
        ("Residents whose homes were flooded say the council ignored them.", "Residents",
         "the council ignored them"),
        ("The report that was released on Tuesday says the plan failed.", "The report", "the plan failed"),
        ("Officials who spoke on condition of anonymity said the plan failed.", "Officials", "the plan failed"),
        # a cue inside that clause yields to the main frame
        ("People who know him say the minister will resign.", "People", "the minister will resign"),
        ("Voters who support the mayor said the plan failed.", "Voters", "the plan failed"),
    ],
)
def test_a_relative_clause_before_the_cue_describes_the_speaker(text, source, content):
    assert _frame(text)[0::2] == (source, content)


@pytest.mark.parametrize(
    "text",
    [
        "She said that officials who lost their jobs were angry.",  # a clause after `that`: no relative subject
        "Asked who paid for the ads, the senator said he did not know.",
    ],
)
def test_a_clause_opened_after_a_verb_is_no_relative_subject(text):
    source, _, _ = _frame(text)
    assert source in {"She", "the senator"}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Those close to him say the minister will resign.", "Those close to him"),
        ("Those close to the minister said the plan failed.", "Those close to the minister"),
        ("But those familiar with the talks said a deal was near.", "those familiar with the talks"),
    ],
)
def test_those_described_by_their_access_speak(text, source):
    assert _frame(text)[0] == source


@pytest.mark.parametrize("noun", ["person", "official"])
def test_a_demonstrative_opening_the_sentence_determines_the_speaker(noun):
    assert _frame(f"That {noun} said the plan failed.") == (f"That {noun}", "say", "the plan failed")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("It is clear that officials believe the plan will fail.", "officials"),
        ("The worry is that Republicans think the rates are too low.", "Republicans"),
    ],
)
def test_that_before_a_plural_or_a_name_opens_the_clause(text, source):
    # `that` there is a conjunction, not a determiner of the speaker (`those` would be one)
    assert _frame(text)[0] == source


def test_a_frame_after_that_reports_nothing_before_it():
    # the subject after `that` opens a subordinate clause: the words before `that` are not its content
    r = Result("The two new leaflets, printed last week, make clear that Harwood Council is sticking to its budget.")
    assert all(not c["text"].startswith("The two new leaflets") for c in r.attributed())


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("“We will not close the school,” said the 52-year-old.", "the 52-year-old"),
        ("“The rules have changed,” says a narrator.", "a narrator"),
        ("“It is too late,” said the designer, who works for a rival firm.", "the designer"),
    ],
)
def test_an_inverted_description_closing_the_sentence_speaks(text, source):
    r = Result(text)
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == source


def test_a_time_after_an_inverted_cue_is_no_speaker():
    r = Result("“It is too late,” the mayor said the next day.")
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == "the mayor"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Experts on trade and farming said the tariff would hurt growers.", "Experts on trade and farming"),
        ("Ministers in Paris and Berlin say the treaty is dead.", "Ministers in Paris and Berlin"),
        ("Lawyers for Smith and Jones said the ruling was unfair.", "Lawyers for Smith and Jones"),
        ("Residents across the region think the new road is a mistake.", "Residents across the region"),
    ],
)
def test_a_speaker_noun_with_coordinated_objects_is_one_description(text, source):
    assert _frame(text)[0] == source


def test_a_name_after_a_verb_and_and_is_no_coordinated_object():
    assert _frame("Sanders won Michigan and Clinton said the result was close.")[0] == "Clinton"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("His critics in Britain, many of them Tory MPs, argue that the plan is a mistake.", "His critics in Britain"),
        ("The workers, some of them on strike, say the plan will fail.", "The workers"),
        ("Neither side says the talks have failed.", "Neither side"),
    ],
)
def test_a_quantity_apposition_describes_the_subject_before_it(text, source):
    assert _frame(text)[0] == source


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("Hale at the time said he had asked his staff to look into it.", ["Hale"]),
        ("The councillors, who have in the past described the scheme as a waste, said it should go ahead.",
         ["who", "The councillors"]),
        ("Jeb Bush in a Medium post said the agency was needed.", ["Jeb Bush"]),
        ("The mayor in his opening speech called the plan a disgrace.", ["The mayor"]),
    ],
)
def test_a_phrase_without_commas_between_subject_and_verb_is_not_the_speaker(text, sources):
    # was `the time`, `the past`, `a Medium post`, `his opening speech`
    r = Result(text)
    assert [r.span(c, "source_start", "source_end") for c in r.attributed()] == sources


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Among likely voters, about two-thirds, 67 percent, say they will vote for Hale.", "about two-thirds, 67 percent"),
        ("Just shy of half, 49%, say the economy is improving.", "shy of half, 49%"),
        ("Most voters, 61 per cent, said the tax was fair.", "Most voters, 61 per cent"),
    ],
)
def test_a_quantity_with_its_percentage_in_apposition_speaks(text, source):
    assert _frame(text)[0] == source


@pytest.mark.parametrize(
    "text",
    [
        "Joe Hale, host of BBC Radio’s “Morning Show,” said the refusal could end his career.",
        "Joe Hale, the author of “Going Under,” said the refusal could end his career.",
    ],
)
def test_an_apposition_closing_with_a_quoted_title_leaves_the_name_as_speaker(text):
    assert _frame(text) == ("Joe Hale", "say", "the refusal could end his career")


def test_a_gerund_before_a_role_noun_in_an_apposition_is_no_reporting_verb():
    assert _frame("Sexton, a creative writing professor, said the course would close.") == (
        "Sexton", "say", "the course would close")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a reporting verb inside the relative clause of the apposition's role is no frame of the sentence
        ("Senator Jo Hale, a Cornish Liberal who has met the minister and been mentioned as a rival, said the vote "
         "was close.", "Senator Jo Hale", "the vote was close"),
        # that relative clause's own report ends where the main verb comes back
        ("Tom Reilly, the official who announced the cuts, said the plan was fair.", "Tom Reilly", "the plan was fair"),
        ("The minister, a former banker who once described the levy as theft, said it would stay.", "The minister",
         "it would stay"),
    ],
)
def test_a_relative_clause_on_an_apposition_leaves_the_main_frame(text, source, content):
    r = Result(text)
    frames = [(r.span(c, "source_start", "source_end"), c["text"].rstrip(".")) for c in r.attributed()]
    assert (source, content) in frames
    assert not [f for f in frames if f[1].endswith(content) and f[1] != content]  # no relative report running over it


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # a cue that is also a noun inside the role is the noun (`state`, `report`), not a second reporting verb
        ("Jo Hale, a lawyer and former state legislator, said the grants should be cut.", "Jo Hale"),
        ("Tom Reilly, an economist and former state treasurer who ran for governor in 2014, said the levy would stay.",
         "Tom Reilly"),
    ],
)
def test_a_noun_like_cue_inside_an_apposition_is_a_noun(text, source):
    assert _frame(text)[0] == source


def test_state_before_a_title_is_part_of_the_name_not_a_verb():
    # `state` before `Rep.`/`Sen.` is a noun (and a sentence-opening `But` is no subject for it)
    assert _frame("But state Rep. Ann Cobb, a member of the committee, recalled what happened in 2008.")[0] \
        == "Rep. Ann Cobb"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # an inserted passive participle describes the speaker; `asked about …` asks nothing itself
        ("Opposition leader Jo Hale, asked about the remark by reporters, said it was important to be careful.",
         "Opposition leader Jo Hale"),
        ("The minister, asked whether he would resign, said he would stay.", "The minister"),
    ],
)
def test_an_inserted_passive_participle_leaves_the_speaker_before_it(text, source):
    assert _frame(text)[:2] == (source, "say")
