"""Frame structure: which frame of a sentence reports what, and where its content ends (own texts)."""

import pytest

from tests.text.helpers import Result


def _frames(text: str) -> list[tuple[str, str, str]]:
    """(source words, cue lemma, content) of every attributed claim, in order."""
    r = Result(text)
    return [(r.span(c, "source_start", "source_end"), c["cue"], c["text"]) for c in r.attributed()]


def _framed(text: str, at: int = 0) -> tuple[str, str]:
    """(source words, content without its final stop) of the claim at position `at`; fails if there is none."""
    frames = _frames(text)
    assert frames, "no attribution found"
    return frames[at][0], frames[at][2].rstrip(".")


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
    assert _framed(text) == (source, content)


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


def test_a_frame_inside_a_relative_clause_ends_where_the_main_verb_comes_back():
    text = "Ms. Harding, who estimated that a third of the staff had left, said she would stay until the spring."
    frames = _frames(text)
    assert [(s, c) for s, c, _ in frames] == [("who", "estimate"), ("Ms. Harding", "say")]
    assert frames[0][2] == "a third of the staff had left"
    assert frames[1][2].rstrip(".") == "she would stay until the spring"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The top candidates of both parties say the country must play a bigger role.", "The top candidates of both parties"),
        ("Elected officials from both parties say he has earned a reputation as a hard worker.",
         "Elected officials from both parties"),
        ("Analysts at the bank said the base rate would rise in the autumn.", "Analysts at the bank"),
    ],
)
def test_a_description_with_a_preposition_after_its_head(text, source):
    frames = _frames(text)
    assert frames and frames[0][0] == source


def test_a_parenthetical_frame_inside_a_relative_clause():
    frames = _frames("The board received 40 bids, which she said were evenly split between the two firms.")
    assert frames and frames[0][:2] == ("she", "say")
    assert frames[0][2].startswith("were evenly split")


def test_a_capitalised_title_word_that_is_also_a_verb_does_not_block_the_apposition():
    frames = _frames("State Senator Ruth Ellis, a member of the committee, said that the report was late.")
    assert frames and frames[0][0] == "State Senator Ruth Ellis"


@pytest.mark.parametrize(
    "text",
    [
        "Supporters cheered when the state was called for the governor just after the polls closed.",  # a passive
        "The Leeds attacks were a shock to the whole city.",  # a plural noun followed by its own verb
        "She now runs a charity called Safe Streets in the north of the city.",  # naming, not reporting
        "They met at a cafe named the Blue Door on the high street.",
        "Police arrested a driver accused of dangerous driving on the motorway.",  # a reduced passive
        "The rail link serves the Border counties, Pennine states that have long lacked trains.",  # a noun
    ],
)
def test_passive_and_noun_uses_of_cue_words_frame_nothing(text):
    assert _frames(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The payments bought copies of a book written by the chairman.",  # a participle with `by`
        "Her rival mocked the plan in a Sunday tweet about the race.",  # a base form after a determiner and a modifier
    ],
)
def test_participles_and_nouns_after_modifiers_are_not_cues(text):
    assert all(cue not in ("write", "tweet") for _, cue, _ in _frames(text))


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Ruth Ellis, the trust's director of nursing, said the ward is reopening next month.", "Ruth Ellis"),
        ("Earlier on Tuesday, his press secretary, Tom Hale, said the visit was off.", "Tom Hale"),
    ],
)
def test_the_speaker_is_not_the_subject_of_the_reported_clause_nor_a_time(text, source):
    frames = _frames(text)
    assert frames and frames[0][0] == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("A senior source speaking to the BBC said the talks had stalled.", "A senior source"),
        ("A council report published Wednesday said the bridge was unsafe.", "A council report"),
    ],
)
def test_whom_the_speaker_talked_to_and_when_are_not_the_speaker(text, source):
    frames = _frames(text)
    assert frames and frames[0][0] == source


def test_according_to_a_description_without_a_known_noun():
    frames = _frames("According to her friends and advisers, the minister has worried for months about the vote.")
    assert frames and frames[0][:2] == ("her friends and advisers", "according to")


def test_a_quotation_after_a_subordinate_clause_belongs_to_the_main_clause():
    frames = _frames('As the mayor attacked the plan, the protesters chanted, "Scrap it now!"')
    assert frames[0][:2] == ("the mayor", "attack") and frames[0][2] == "the plan"
    assert all("Scrap" not in body for src, _, body in frames if src == "the mayor")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Hale earlier Thursday said the inquiry had heard 75 witnesses.", "Hale"),
        ("The Home Office less than two weeks ago said the figures were wrong.", "Home Office"),
        ("Still, Okafor took stock of the result, saying the race was far from over.", "Okafor"),
    ],
)
def test_time_phrases_and_openers_are_not_the_speaker(text, source):
    frames = _frames(text)
    assert frames and frames[0][0].endswith(source)


def test_nothing_reported_after_to_say_about():
    assert _frames("It is certain he will have more to say about it in the weeks ahead.") == []


def test_committing_to_reports_what_the_signatory_committed_to():
    frames = _frames("The government signed a deal with the rebels, committing to “a lasting ceasefire” and talks.")
    assert any(src == "The government" and cue == "commit" and "lasting ceasefire" in body for src, cue, body in frames)


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("Others say this is just a rough patch for the club.", "Others", "this is just a rough patch for the club"),
        ("Her advisers and allies say she will spend the summer on the road.", "Her advisers and allies",
         "she will spend the summer on the road"),
        ('"Is that all there is?" Hale asked.', "Hale", "Is that all there is?"),
        ("“Why now?” Councillor Jane Okafor asked.", "Councillor Jane Okafor", "Why now?"),
    ],
)
def test_more_plain_frames(text, source, content):
    frames = _frames(text)
    assert frames and frames[0][0] == source and frames[0][2].rstrip(".") == content


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a time adverbial between a cue that needs a clause and its clause
        ("The inspector revealed on Wednesday that three wards had been closed.", "The inspector",
         "three wards had been closed"),
        ("Auditors found last week that the scheme had overspent by £2m.", "Auditors", "the scheme had overspent by £2m"),
        # a description with a relative clause or a role apposition before the cue
        ("The coalition, which represents 40 tenants' groups, said rents would keep rising.", "The coalition",
         "rents would keep rising"),
        ("The minister, a former banker, said interest rates would stay high.", "The minister",
         "interest rates would stay high"),
        # sentence adverbs and conjunctions open the sentence but are never the speaker
        ("Separately, the minister, a former banker, said interest rates would stay high.", "the minister",
         "interest rates would stay high"),
        ("Instead, the senator is sticking to his message, hoping to avoid a misstep.", "the senator",
         "to avoid a misstep"),
        ("But the other candidate on the stage, former Governor Jane Ortiz, drew a contrast, saying that jobs "
         "were at risk.", "former Governor Jane Ortiz", "jobs were at risk"),
        # a speech verb used as a noun inside the role (`director of state campaigns`) is no second frame
        ("Marlon Hart, the party's director of state campaigns, said the campaign took nothing for granted.",
         "Marlon Hart", "the campaign took nothing for granted"),
        # an indirect question after an adverbial; a subject pronoun opens a clause
        ("The audit shows in detail how the councils moved money between funds.", "The audit",
         "how the councils moved money between funds"),
        ("The inquiry found they had ignored three warnings.", "The inquiry", "they had ignored three warnings"),
        # an apposition between spaced hyphens or double hyphens, as some papers print dashes
        ("Dana Reyes - the group's treasurer and co-founder - told the paper that the accounts were sound.",
         "Dana Reyes", "the accounts were sound"),
        ("Dana Reyes -- the group's treasurer -- told the paper that the accounts were sound.",
         "Dana Reyes", "the accounts were sound"),
        # a clause before the comma is no name, so the name after the inverted cue is the speaker
        ("Even if the department closed, its work would go on elsewhere, said Ms Okafor, who chairs the board.",
         "Ms Okafor", "Even if the department closed, its work would go on elsewhere"),
    ],
)
def test_frames_around_adverbials_and_descriptions(text, source, content):
    assert _framed(text, -1) == (source, content)


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("The mayor said taxes would rise, while critics argued the plan would fail.",
         ("The mayor", "taxes would rise"), ("critics", "the plan would fail")),
        ("The council said fees would rise; residents say they cannot pay.",
         ("The council", "fees would rise"), ("residents", "they cannot pay")),
        ("Officials said neither side could win outright, and the lawyers say the courts will decide.",
         ("Officials", "neither side could win outright"), ("the lawyers", "the courts will decide")),
        ("Ms Hale said the budget was sound, although economists warned that it relied on growth.",
         ("Ms Hale", "the budget was sound"), ("economists", "it relied on growth")),
    ],
)
def test_a_second_speaker_joined_to_the_first_report_gets_a_claim_of_its_own(text, first, second):
    frames = [(src, body.rstrip(".")) for src, _, body in _frames(text)]
    assert frames == [first, second]


def test_a_base_form_after_and_without_a_plural_subject_is_not_a_new_frame():
    frames = _frames("The mayor said taxes would rise and the chief executive say nothing.")
    assert len(frames) == 1


def test_a_speaker_quoted_in_the_passive_keeps_the_quotation():
    r = Result('Mr Hale was quoted in the Herald newspaper saying: "I feel the party has over-reacted."')
    assert [r.speaker(c) for c in r.attributed()] == ["Hale"]


def test_a_short_quoted_label_after_a_learned_cue_is_not_a_report():
    from pipelines.text import cue_model

    cue_model.use(cue_model.CueModel(-2.0, {"fa=dubbed|quote": 4.0}, frozenset({"dubbed"})))
    try:
        assert Result('The band plays tunes they have dubbed "blip-pop".').attributed() == []
        assert Result('The band plays tunes they have dubbed "a noise that will never sell to anyone".').attributed()
    finally:
        cue_model.use(None)


@pytest.mark.parametrize(("text", "source", "content"), [
    # at the end, with a phrase no name heads: the sentence before it is reported
    ("About two million carers live in the region, according to federal statistics.", "federal statistics",
     "About two million carers live in the region"),
    ("The contractor did not finish the work on time, according to the council's summary.", "the council's summary",
     "The contractor did not finish the work on time"),
    # after a short opener, what follows is reported
    ("In addition, according to the department, about 9,000 more workers will be covered.", "the department",
     "about 9,000 more workers will be covered"),
    # inserted after a longer stretch: the whole sentence
    ("Most of the files were marked confidential last year, according to an official, but two were secret.",
     "an official", "Most of the files were marked confidential last year, according to an official, but two were secret"),
])
def test_according_to_anywhere_in_the_sentence(text, source, content):
    (frame,) = _frames(text)
    assert (frame[0], frame[2].rstrip(".")) == (source, content)


@pytest.mark.parametrize(("text", "source"), [
    # a time phrase opening the clause, or standing between subject and verb, is not the speaker
    ("Hours later, the minister returned the compliment, telling reporters that the talks went well.", "the minister"),
    ("Eight years ago, the union backed the plan and said it would save jobs.", "the union"),
    ("The regulator this week announced that fines would double.", "The regulator"),
])
def test_time_phrases_are_not_speakers(text, source):
    frames = _frames(text)
    assert frames and frames[0][0] == source


def test_the_addressee_of_an_asking_verb_is_not_an_inverted_speaker():
    frames = _frames("Texas, leading a group of 13 states, asked a federal judge to block the rules.")
    assert all(src != "a federal judge" for src, _, _ in frames)


def test_a_quantifier_floating_after_the_auxiliary_is_not_the_speaker():
    frames = _frames("The unions have all said they will strike in March.")
    assert frames and frames[0][0] == "The unions"


def test_a_verb_of_seeming_hedges_and_frames_nothing():
    from pipelines.text import cue_model

    cue_model.use(cue_model.CueModel(-2.0, {"fa=seemed|to": 4.0}, frozenset({"seemed"})))
    try:
        assert _frames("Mr Hale seemed to accept the result on Friday.") == []
    finally:
        cue_model.use(None)


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a bare plural or quantity subject with no known speaker noun, alone at the clause's start
        ("The levy was approved. But landlords say the new charge will push rents up.", "landlords",
         "the new charge will push rents up"),
        ("Local shopkeepers say the closures have cut their trade by half.", "Local shopkeepers",
         "the closures have cut their trade by half"),
        ("The poll was taken in May. About four in 10 said they trusted the council.", "About four in 10",
         "they trusted the council"),
        ("Turnout was low. One in three said the vote made no difference.", "One in three",
         "the vote made no difference"),
        ("In Cornwall, fishermen say the quotas are unfair.", "fishermen", "the quotas are unfair"),
        ("Some campaigners for road safety say the limit is too high.", "Some campaigners for road safety",
         "the limit is too high"),
        # a reflexive after the subject
        ("The bank itself said the branch would stay open.", "The bank", "the branch would stay open"),
        # a time word between the cue and a clause with no `that`
        ("The mayor said Tuesday her budget was balanced.", "The mayor", "her budget was balanced"),
        ("The mayor said on Tuesday the budget was balanced.", "The mayor", "the budget was balanced"),
    ],
)
def test_subject_and_clause_without_known_words(text, source, content):
    assert _framed(text) == (source, content)


def test_a_bare_subject_must_open_its_clause():
    # an opening phrase with no comma after it: the words before the cue are not one subject
    assert not _frames("After storms coastal towns say the damage is severe.")


@pytest.mark.parametrize(
    "text",
    [
        "Ms Hart put off a decision but said the board could return to the matter in June.",
        "Ms Hart paused, and then said the board could return to the matter in June.",
        "Speaking on Sunday on the “Week Ahead,” Ms Hart denied the report, but said the board could return to the matter in June.",
        "There, Ms Hart declined to give figures but said the board could return to the matter in June.",
    ],
)
def test_a_coordinated_cue_shares_the_subject_of_the_clause(text):
    frames = _frames(text)
    said = [f for f in frames if f[1] == "say"]
    assert said, frames
    assert said[0][0] == "Ms Hart"
    assert said[0][2].rstrip(".") == "the board could return to the matter in June"


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The race is close, with polls showing the senator ahead by two points.", "polls",
         "the senator ahead by two points"),
        ("Unions were angry, with Ms Adeyemi calling the offer an insult.", "Ms Adeyemi", "the offer an insult"),
        ("Most backed the plan, with about three in 10 saying they were undecided.", "about three in 10",
         "they were undecided"),
    ],
)
def test_the_subject_of_a_with_absolute_is_the_speaker(text, source, content):
    assert _framed(text, -1) == (source, content)


def test_with_and_a_participle_that_is_not_a_cue_frames_nothing():
    assert not _frames("He left the hall with his aides trailing behind.")


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Asked about bias, Ms Ortiz confirmed she had faced it and said, “The industry has a problem.”",
         "The industry has a problem."),
        ("Mr Lee answered the letter by calling the chief reckless and accusing him of hiding the figures.",
         "him of hiding the figures"),
        ("Ms Ortiz went on, acknowledging that the rival had a point but warning that his style would fail.",
         "his style would fail"),
    ],
)
def test_a_second_cue_after_a_coordinator_gets_its_own_claim(text, second):
    frames = _frames(text)
    assert len(frames) >= 2, frames
    assert frames[-1][2].rstrip(".") == second.rstrip(".")
    assert frames[-1][0] == frames[-2][0]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The councillor also plans to vote against the budget in March, Ms Adeyemi said.", "Ms Adeyemi",
         "The councillor also plans to vote against the budget in March"),
        ("Hospital records show the ward closed twice last winter, according to the local paper.", "the local paper",
         "Hospital records show the ward closed twice last winter"),
        ("The mayor hopes to reopen the bridge by May, the council said on Tuesday.", "the council",
         "The mayor hopes to reopen the bridge by May"),
    ],
)
def test_a_frame_closing_the_sentence_reports_everything_before_it(text, source, content):
    assert _framed(text) == (source, content)


def test_a_frame_in_the_middle_is_not_a_closing_frame():
    frames = _frames("The mayor said the bridge would reopen, and the council agreed to pay for it.")
    assert frames[0][0] == "The mayor"


@pytest.mark.parametrize(
    "text",
    [
        "Several staff did not return calls seeking comment.",
        "She leads by roughly 270 pledged delegates.",
        "The council's repeated refusal to act angered tenants.",
        "The club drew up its own recommended list of candidates.",
    ],
)
def test_nouns_and_participles_describing_nouns_frame_nothing(text):
    assert not _frames(text)


def test_an_opening_participle_with_a_clause_reports_for_the_main_subject():
    frames = _frames("Noting that only one member voted against, Ms Tester said the bill would pass.")
    assert ("Ms Tester", "note", "only one member voted against") in frames


def test_an_opening_participle_with_an_object_reports_nothing_of_its_own():
    frames = _frames("Recalling that evening, Tom Reilly, who ran the campaign, said it was electric.")
    assert [f[1] for f in frames] == ["say"]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("Supporters of the plan, on the other hand, argued that it would help.", "Supporters of the plan",
         "it would help"),
        ("Mr Hume, for his part, said he was hopeful.", "Mr Hume", "he was hopeful"),
        ("Senator Jo Marsh (D-Ore.) last week said the email was not hers.", "Senator Jo Marsh",
         "the email was not hers"),
        ("Jo Marsh, who chairs the panel, on Sunday defended the decision to close the port.", "Jo Marsh",
         "the decision to close the port"),
        ("A report released last week said the port was unsafe.", "A report",
         "the port was unsafe"),
        ("Economists believe this gives employers an incentive.", "Economists", "this gives employers an incentive"),
        ("Ms Lee paused, then revealed why the plan mattered to her.", "Ms Lee", "why the plan mattered to her"),
    ],
)
def test_words_between_subject_and_cue_and_clauses_opened_by_a_demonstrative(text, source, content):
    assert _framed(text) == (source, content)


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("Work on the bridge will start in May, Ms Reyes said, adding, “We have waited long enough.”",
         [("Ms Reyes", "Work on the bridge will start in May"), ("Ms Reyes", "We have waited long enough.")]),
        ("The depot will close, the chief executive told a Commons committee on Tuesday.",
         [("the chief executive", "The depot will close")]),
        ("The army was told to hold the line, said an official who was briefed on the talks.",
         [("an official", "The army was told to hold the line")]),
    ],
)
def test_what_follows_a_closing_frame_is_not_its_content(text, frames):
    assert [(s, c) for s, _, c in _frames(text)] == frames


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("The plant is under pressure from imports, said the firm's chief executive, John Ferris.",
         [("the firm's chief executive, John Ferris", "The plant is under pressure from imports")]),
        ("The council backed the plan in June, she said on Tuesday on BBC Radio’s “Today.”",
         [("she", "The council backed the plan in June")]),
        ("While one agency says there are 2,400 cases, another says there are about 1,800.",
         [("one agency", "there are 2,400 cases"), ("another", "there are about 1,800")]),
        ("“The rules are unfair,” said Capt. Ann Moss, who said she would appeal.",
         [("Capt. Ann Moss", "The rules are unfair")]),
    ],
)
def test_closing_frames_with_a_name_a_title_or_a_relative_clause_after_them(text, frames):
    assert [(s, c.rstrip(".")) for s, _, c in _frames(text)][:len(frames)] == frames


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("He made changes to the aircraft in 2012, flight records show.", "flight records",
         "He made changes to the aircraft in 2012"),
        ("Surveys show voters fear higher rents.", "Surveys", "voters fear higher rents"),
        ("A Harris poll out Monday showed Ms Grey with a clear lead.", "A Harris poll", "Ms Grey with a clear lead"),
        ("Even though the board won the vote, keeping its promise is proving hard, officials said.", "officials",
         "Even though the board won the vote, keeping its promise is proving hard"),
    ],
)
def test_documents_that_show_and_closing_frames_of_needed_clauses(text, source, content):
    assert _framed(text) == (source, content)


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("Ford itself said the deal was on.", "Ford", "the deal was on"),
        ("Ms Carter however said she would welcome the talks.", "Ms Carter", "she would welcome the talks"),
        ("People familiar with the talks say a deal is close.", "People familiar with the talks", "a deal is close"),
        ("The club will review its rules, a source close to the board said.", "a source close to the board",
         "The club will review its rules"),
        ("Judge Ann Moss, in her dissent, said the law was unfair.", "Judge Ann Moss", "the law was unfair"),
        ("Many days, former employees said, she worked past midnight.", "former employees", "she worked past midnight"),
        ("This is not about me, the mayor told her aides as she wrote the speech.", "the mayor", "This is not about me"),
    ],
)
def test_sources_described_by_access_and_phrases_set_off_before_the_cue(text, source, content):
    assert _framed(text) == (source, content)


def test_an_inserted_participle_clause_and_the_main_frame_are_two_claims():
    frames = _frames("Ms Salo, citing figures from the Home Office, said that four million visas had lapsed.")
    assert [(s, c) for s, _, c in frames] == [("Ms Salo", "figures from the Home Office"),
                                              ("Ms Salo", "four million visas had lapsed.")]


@pytest.mark.parametrize("text", ["minister said", "Ms Lee said", "Critics say", "he told"])
def test_a_cue_ending_the_text_reads_without_error(text):
    assert _frames(text) == [] or all(isinstance(f[2], str) for f in _frames(text))


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a noun in -ly after a determiner is the subject's head, not an adverb before the verb
        ("Lawyers for the family said they would appeal the ruling.", "Lawyers for the family",
         "they would appeal the ruling"),
        ("Her family quickly said the claims were false.", "Her family", "the claims were false"),
        # a name after a speaker noun and a preposition belongs to the description: the lawyers speak, not Smith
        ("Lawyers for Smith said they would appeal.", "Lawyers for Smith", "they would appeal"),
        ("A spokeswoman for Northfield Water said the leak had been fixed.", "A spokeswoman for Northfield Water",
         "the leak had been fixed"),
        ("Experts on housing policy said rents would keep rising.", "Experts on housing policy",
         "rents would keep rising"),
        # sources described by what they know
        ("People with direct knowledge of the talks said a deal was close.",
         "People with direct knowledge of the talks", "a deal was close"),
        # a subject pronoun with an interjection after a time word still opens the reported clause
        ("The mayor said Wednesday she, too, wanted an inquiry.", "The mayor", "she, too, wanted an inquiry"),
        # a stray comma after a party tag or a post-nominal title
        ("Sen. Ann Fry (D-Ore.), said on Tuesday that she had not read the plan.", "Sen. Ann Fry",
         "she had not read the plan"),
        ('Chair of the Transport Committee Jo Hale MP, said: "The timetable is a shambles."',
         "Chair of the Transport Committee Jo Hale MP", "The timetable is a shambles"),
        # a post-nominal title ends a name, not a role; a role noun before a name belongs to the speaker
        ('Jo Hale MP, chair of the transport committee, said: "The timetable is a shambles."', "Jo Hale MP",
         "The timetable is a shambles"),
        ("The rail timetable was a shambles, transport correspondent Sam Reid said.",
         "transport correspondent Sam Reid", "The rail timetable was a shambles"),
        # an inverted description followed by the speaker's name
        ('"A ruling is expected in March," said one of their lawyers, Ana Petrou.',
         "one of their lawyers, Ana Petrou", "A ruling is expected in March"),
        # a frame with an object or an indirect question of its own after a comma does not close the sentence
        ("While the mayor said the budget was balanced, auditors found a gap.", "the mayor",
         "the budget was balanced"),
        ("Even as she accused the board of bias, Ms Reid would not say who benefited.", "she",
         "the board of bias"),
        # a short subject, the frame set off by commas, then its predicate: the whole sentence is reported
        ("This scheme, she says, is different.", "she", "This scheme, she says, is different"),
        ("The budget, he said, was never balanced.", "he", "The budget, he said, was never balanced"),
        # the subject of a participle added to the main clause follows a dateline or an opening adverb
        ('LEEDS - Ana Petrou made it clear on Monday that she would stand, saying "the city needs a change."',
         "Ana Petrou", "the city needs a change"),
        ("Here in Leeds, Ana Petrou stepped up her campaign, saying the city needed a change.", "Ana Petrou",
         "the city needed a change"),
        ("Back in 2009, Ana Petrou visited the plant, saying it would work.", "Ana Petrou",
         "it would work"),
        # whom the speakers talked to is not the speaker, with or without an article; coordinated modifiers
        ("Current and former officials who spoke with The Northern Echo said the agency was failing.",
         "Current and former officials", "the agency was failing"),
        # a subordinate clause after an opening phrase ends its frame's content; the main clause's participle
        ("In a May debate, while most of her rivals called for higher taxes, Ana Petrou stuck to her plan.",
         "her rivals", "higher taxes"),
        # a naming participle after an indefinite noun with a number in it is no cue
        ("On Sunday, Ana Petrou shared a list for a 2002 history class called “Empires” online, writing that it "
         "proved her point.", "Ana Petrou", "it proved her point"),
        # after an opening phrase with commas of its own, the name nearest the cue speaks
        ("Speaking at a rally in Leeds, Yorkshire, after the vote, Sam Reid, the mayor, said the count was fair.",
         "Sam Reid", "the count was fair"),
        ("In Leeds, Sam Reid, the mayor, said the count was fair.", "Sam Reid", "the count was fair"),
        # a participle clause between the speaker and the cue; the time word after the cue is no speaker
        ("A senior official, speaking on condition of anonymity, said Wednesday that talks had stalled.",
         "A senior official", "talks had stalled"),
    ],
)
def test_subject_descriptions_and_interjections(text, source, content):
    assert _framed(text) == (source, content)


def test_a_participle_after_opening_phrases_goes_to_the_main_clause_subject():
    frames = _frames("In a May debate, while most of her rivals called for higher taxes, Ana Petrou stuck to "
                     "her plan, noting that it was working.")
    assert ("Ana Petrou", "note", "it was working.") in frames


def test_a_closing_frame_after_a_comma_inside_the_quotation_marks():
    frames = _frames('They want to "build homes for families, not for investors," Ana Petrou said.')
    assert frames and frames[0][:2] == ("Ana Petrou", "say")
    assert frames[0][2].startswith("They want to")


def test_a_noun_like_cue_before_a_subject_pronoun_and_its_verb_is_a_verb():
    frames = _frames("Land registry records from the 1990s show he bought both farms.")
    assert frames and frames[0][:2] == ("Land registry records from the 1990s", "show")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # `according to` takes the whole phrase up to the comma
        ("According to the local residents' group Save Our Park, at least 40 trees were felled.",
         "the local residents' group Save Our Park", "at least 40 trees were felled"),
        # a closing frame followed by a time and place phrase still reports what comes before it
        ("The council will cut bus routes, the mayor said this week at a meeting in the town hall.", "the mayor",
         "The council will cut bus routes"),
        # a relative clause after the adverbial describes the statement, it is not its content
        ("The plan will work, she said on Tuesday, which surprised many.", "she", "The plan will work"),
    ],
)
def test_frame_phrases_and_tails(text, source, content):
    assert _framed(text) == (source, content)


def test_a_day_is_never_a_speaker():
    assert _frames("Wednesday added one more twist to the race.") == []


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a floating quantifier after the subject is not the speaker
        ("The mayor and her deputies all urged a new vote.", "her deputies", "a new vote"),
        # a state or country closing an opening place phrase is not a participle's subject
        ("At a rally in Berea, Ohio, Ana Petrou was blunt, saying the plan had failed.", "Ana Petrou",
         "the plan had failed"),
        ("At a rally in Beaumont, Tex., Ana Petrou was blunt, saying the plan had failed.", "Ana Petrou",
         "the plan had failed"),
        # an empty `it` opening the sentence: the participle goes to the subject of the inner clause
        ("It was a hard week for the party, as Ana Petrou echoed the criticism, saying the plan had failed.",
         "Ana Petrou", "the plan had failed"),
    ],
)
def test_participle_and_quantifier_subjects(text, source, content):
    frames = _frames(text)
    assert (source, content) in [(f[0], f[2].rstrip(".")) for f in frames], frames


def test_an_object_pronoun_after_a_cue_is_no_inverted_speaker():
    assert all(s != "it" for s, _, _ in _frames("As the minister, a former banker, put it: “The money is gone.”"))


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a noun-like cue after a capitalised modifier and before a comma is the noun (`Democratic states,`)
        ("And in the Northern states, like Ohio, she said turnout was low.", "she", "turnout was low"),
        # an opening participle with a purpose infinitive is not the name of a speaker
        ("Using a blunt phrase to describe his rivals, he said they had lost their nerve.", "he",
         "they had lost their nerve"),
    ],
)
def test_nouns_and_participles_that_look_like_frames(text, source, content):
    assert _framed(text) == (source, content)


def test_an_adverb_is_never_a_learned_cue():
    assert _frames("Even though the mayor tried to calm them, the crowd was eventually forced out.")[1:] == []


def test_a_pronoun_subject_that_is_not_an_empty_it_keeps_its_participle():
    frames = _frames("The council is a party. Last year, it signed a deal with the union, committing to “a fair wage” "
                     "and new talks.")
    assert frames and frames[0][:2] == ("it", "commit")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        # a noun-like cue after a plural subject and before `that` is a verb
        ("Should the mine close, environmentalists worry that the cost could fall to taxpayers.",
         "environmentalists", "the cost could fall to taxpayers"),
        # a noun-like cue after an apposition's closing comma and before its object is a verb; a role before
        # the name does not stop the name from being the speaker
        ('Former governor Ann Fry, an early supporter of the mayor, calls the plan "a disgrace" for the town.',
         "governor Ann Fry", 'the plan "a disgrace" for the town'),
        # a cue that needs a clause takes an object and an infinitive (`expect it to …`)
        ("Economists expect it to raise rates by one point.", "Economists", "it to raise rates by one point"),
    ],
)
def test_plural_subjects_and_object_infinitives(text, source, content):
    assert _framed(text) == (source, content)


def test_a_noun_like_cue_after_a_possessive_stays_a_noun():
    assert _frames("His worry that the cost could rise was real.") == []


def test_a_split_quotation_whose_frame_has_a_time_phrase_is_one_claim():
    frames = _frames("“In breaking news,” Ana Petrou wrote last January, “the mayor has endorsed herself.”")
    assert len(frames) == 1 and frames[0][0] == "Ana Petrou"
    assert frames[0][2].startswith("In breaking news") and "endorsed herself" in frames[0][2]


def test_a_middle_frame_with_a_time_phrase_reports_both_sides():
    frames = _frames("If the city can build a bridge, the mayor argued this week, then it can build a tunnel.")
    assert frames and frames[0][0] == "the mayor"
    assert frames[0][2].startswith("If the city") and "build a tunnel" in frames[0][2]


@pytest.mark.parametrize("name", ["Carly Fiorina", "Kelly Ayotte", "Emily Thornberry"])
def test_a_given_name_in_ly_is_no_opening_adverb(name):
    frames = _frames(f"{name} threw her support behind the senator on Wednesday, saying it was time for a change.")
    assert (name, "say") in [f[:2] for f in frames], frames


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("The mayor told reporters the pier had been safe for years, he claimed the inspectors had never come.",
         ("The mayor", "the pier had been safe for years"), ("he", "the inspectors had never come")),
        ("Ms Hale said the budget was sound: a review this month found it relied on growth.",
         ("Ms Hale", "the budget was sound"), ("a review", "it relied on growth")),
    ],
)
def test_a_new_speaker_spliced_on_after_a_mark_ends_the_first_report(text, first, second):
    frames = [(src, body.rstrip(".")) for src, _, body in _frames(text)]
    assert frames == [first, second]


def test_a_short_opener_before_a_comma_is_part_of_the_reported_clause():
    frames = _frames("The senator said that in 2010, Democrats argued the opposite about the tax.")
    assert frames[0][0] == "The senator" and frames[0][2].startswith("in 2010, Democrats argued")


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("As the mayor noted on Monday, the bridge will reopen next week.", "the mayor", "the bridge will reopen next week"),
        ("But as the regional tabloid Daily Star wrote in an editorial, the port has lost its way.",
         "the regional tabloid Daily Star", "the port has lost its way"),
        ("As Ms Hale put it in a statement, the network offers a view you will not get elsewhere.", "Ms Hale",
         "the network offers a view you will not get elsewhere"),
        ("As first reported by the Herald, the council will close three libraries.", "the Herald",
         "the council will close three libraries"),
    ],
)
def test_an_opening_as_clause_reports_the_main_clause(text, source, content):
    assert _framed(text) == (source, content)


@pytest.mark.parametrize("text", [
    "As an added benefit, the quay will stay open at night.",
    "As the storm was unfolding, residents left the island.",
    "As expected, the council voted to close three libraries.",
])
def test_an_as_clause_without_a_reporting_subject_reports_nothing(text):
    assert not [f for f in _frames(text) if f[2].startswith(("the quay", "residents left"))]
    assert not [f for f in _frames(text) if f[1] == "expect"]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("But few believe the truce will hold.", "few", "the truce will hold"),
        ("He says tonight he’s a step closer to the nomination.", "He", "he’s a step closer to the nomination"),
    ],
)
def test_quantifiers_after_a_conjunction_and_contracted_subjects(text, source, content):
    assert _framed(text) == (source, content)


def test_a_learned_participle_after_the_main_report_adds_a_claim_of_the_same_speaker():
    frames = _frames("Clinton defended her record on trade, promising to campaign across the country.")
    assert [f[0] for f in frames] == ["Clinton", "Clinton"]
    assert frames[0][2] == "her record on trade" and frames[1][2].startswith("to campaign across")


def test_the_particle_of_a_phrasal_participle_cue_is_not_content():
    frames = _frames("The port lost money last year, Ms Hale said, pointing out that many ships had left.")
    assert frames == [("Ms Hale", "say", "The port lost money last year"), ("Ms Hale", "pointing", "many ships had left")]


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The novelist Ana Petrou, one of the signatories, told an audience that the law was unjust.",
         "The novelist Ana Petrou", "the law was unjust"),
        ("The aides, led by the campaign manager, told donors that they did not expect to win.", "The aides",
         "they did not expect to win"),
        ("A review by the audit firm Grant Hale, prepared for the council, found that the port had lost money.",
         "A review by the audit firm Grant Hale", "the port had lost money"),
    ],
)
def test_a_description_before_an_apposition_of_quantity_or_a_participle_speaks(text, source, content):
    assert _framed(text) == (source, content)


@pytest.mark.parametrize(("words", "plain"), [
    ("A review by the audit firm", True), ("The novelist Ana Petrou", True),
    ("In nearby Alston", False), ("In 2008", False), ("The mayor said", False), ("Officials hoping", False),
])
def test_a_plain_phrase_before_an_apposition_is_a_noun_phrase_not_an_opener(words, plain):
    from pipelines.text.attribution_base import _Sentence
    from pipelines.text.segment import segment
    from pipelines.text.source_choice import _plain_phrase

    text = words + ", a note, said it."
    st = _Sentence(text, segment(text).sentences[0], [])
    last = next(k for k, t in enumerate(st.tokens) if t.text == ",") - 1
    assert _plain_phrase(st, 0, last) is plain


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("A 2019 study by economist Ana Petrou found 31 cases of fraud in a million ballots.", "economist Ana Petrou",
         "31 cases of fraud in a million ballots"),
        ("The poll by the Harbour Institute showed the mayor leading her rival by two points.", "the Harbour Institute",
         "the mayor leading her rival by two points"),
    ],
)
def test_a_study_or_poll_by_an_author_reports_a_plain_object(text, source, content):
    assert _framed(text) == (source, content)


def test_a_person_finding_a_plain_object_reports_nothing():
    assert _frames("The mayor found the time to visit the harbour.") == []


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("Economists widely agree that the levy would raise prices.", "Economists", "the levy would raise prices"),
        ("Independent analyses agree the top earners would gain most.", "Independent analyses",
         "the top earners would gain most"),
    ],
)
def test_a_noun_like_cue_after_an_adverb_or_before_a_clause_is_a_verb(text, source, content):
    assert _framed(text) == (source, content)



def test_who_after_a_described_speaker_resolves_to_that_speaker():
    r = Result("“We are ready,” said the mayor, who added that the bridge would reopen in May.")
    claims = sorted(r.attributed(), key=lambda c: c["char_start"])
    assert claims[-1]["text"].startswith("the bridge would reopen in May")
    assert r.span(claims[-1], "source_start", "source_end") == "who"
    assert claims[0]["source_id"] == claims[-1]["source_id"] and r.speaker(claims[-1]) == "mayor"


def test_a_relative_clause_describing_the_speaker_reports_nothing():
    r = Result("“We are ready,” said Ms Okafor, who chairs the board.")
    assert [c["text"] for c in r.attributed()] == ["We are ready"]


@pytest.mark.parametrize(("text", "first", "second"), [
    ("About 45 percent said the economy was the top issue, 30 percent said terrorism was.",
     "the economy was the top issue", "terrorism was"),
    ("Half said the economy was the top issue, a third said it was terrorism.",
     "the economy was the top issue", "it was terrorism"),
])
def test_a_quantity_spliced_on_after_a_comma_is_a_new_speaker(text, first, second):
    r = Result(text)
    claims = sorted(r.attributed(), key=lambda c: c["char_start"])
    assert [c["text"] for c in claims] == [first, second]
    assert claims[0]["source_id"] != claims[1]["source_id"]


@pytest.mark.parametrize(("text", "source"), [
    ("“We are shocked,” one P&G employee said.", "one P&G employee"),
    ("Marks & Spencer said sales fell in the autumn.", "Marks & Spencer"),
    ("“We are shocked,” one P&G Amiens employee told French television.", "one P&G Amiens employee"),
])
def test_ampersand_names_and_staff_nouns_head_a_speakers_phrase(text, source):
    r = Result(text)
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == source


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("“I never said that,” Trump said, after the moderator said the candidate had called Rubio a puppet.",
     "moderator", "the candidate had called Rubio a puppet."),
    ("“We will win,” she said, as her aides argued that the race was close.", "aides", "the race was close."),
])
def test_a_report_in_a_subordinate_clause_after_a_closing_frame_reports_what_follows(text, speaker, content):
    r = Result(text)
    claims = sorted(r.attributed(), key=lambda c: c["char_start"])
    assert len(claims) == 2 and claims[1]["text"] == content and r.speaker(claims[1]) == speaker


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("After saying her foot was badly swollen, Ms Hale was taken to hospital.", "saying", "her foot was badly swollen"),
    ("While insisting that the plan was sound, the minister conceded it would be late.", "insisting",
     "the plan was sound"),
])
def test_a_speech_participle_after_an_opening_preposition_reports_its_clause(text, cue, content):
    r = Result(text)
    claim = r.claim_with(content)
    assert claim["text"] == content and r.span(claim, "cue_start", "cue_end") == cue and claim["source_id"]


def test_an_opening_participle_without_a_clause_reports_nothing():
    assert Result("After arguing with the referee, Smith was sent off.").attributed() == []


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("The mayor decried the budget cuts, saying they would close three libraries.",
         ("The mayor", "decry", "the budget cuts")),
        ("Ms Hale slammed the decision on Monday, arguing that it broke the law.", ("Ms Hale", "slam", "the decision")),
        ("While farmers have pushed for new subsidies, the minister said the budget was fixed.",
         ("farmers", "push", "for new subsidies")),
    ],
)
def test_a_learned_cue_before_the_lexicon_frame_frames_what_lies_before_it(text, earlier):
    frames = _frames(text)
    assert len(frames) == 2, frames
    source, cue, content = next(f for f in frames if f[1] == earlier[1])
    assert (source, cue) == earlier[:2] and content.startswith(earlier[2])
    later = next(f for f in frames if f[1] != earlier[1])
    assert earlier[2] not in later[2]  # the lexicon frame keeps its own content


def test_a_learned_cue_whose_content_runs_into_the_later_frame_frames_nothing():
    # "while insisting …" is inside what the remark was: cut there, the content would end in "while"
    assert [f[1] for f in _frames("She made the remark while insisting that the plan was sound.")] == ["insist"]


def test_a_participle_after_a_comma_inside_the_closing_quotation_mark_adds_a_report():
    frames = _frames("The mayor insisted that the plan had “saved the town,” claiming that it created 300 jobs.")
    assert ("The mayor", "insist", "the plan had “saved the town,”") in frames
    assert ("The mayor", "claim", "it created 300 jobs") in [(s, c, t.rstrip(".")) for s, c, t in frames]


def test_a_coordinated_past_tense_cue_with_of_adds_a_report():
    # "and claims of momentum" is a noun; "and warned of" is the subject's second verb
    frames = _frames("The minister denounced the strike as “reckless” and warned of lasting damage to the railways.")
    assert [c for _, c, _ in frames] == ["denounce", "warn"]
    assert frames[1][0] == "The minister" and frames[1][2].startswith("of lasting damage")


def test_a_coordinated_base_form_after_a_base_form_cue_adds_a_report():
    frames = _frames("Some farmers fear that the subsidy will end and warn that prices will rise.")
    assert [(s, c) for s, c, _ in frames] == [("Some farmers", "fear"), ("Some farmers", "warn")]
    assert frames[0][2] == "the subsidy will end"
    # after a form that is not the base form, a base form needs its own subject
    assert [c for _, c, _ in _frames("Hale has said that the cuts went too far and say that they must stop.")] == ["say"]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Most voters said they were worried about the economy, and about half said the mayor would be best.",
         "about half"),
        ("Most voters said they were worried, while only a third said the mayor would be best.", "only a third"),
        ("Most residents said the buses were late, and more than 4 in 10 said they had stopped using them.",
         "more than 4 in 10"),
    ],
)
def test_a_quantity_after_a_clause_joiner_is_a_new_speaker(text, second):
    frames = _frames(text)
    assert [s for s, _, _ in frames] == [frames[0][0], second]
    assert second not in frames[0][2]  # the first report ends at the joiner


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        # a perfect auxiliary before a participle
        ("The councillor described herself as a moderate and has said that she would back the new budget.",
         "herself as a moderate", "she would back the new budget"),
        ("The union welcomed the offer, and has promised that its members will vote on it next week.",
         "the offer", "its members will vote on it next week"),
        # do-support and modals before a base form, negated ones included
        ("The inspector called the delays unacceptable, but did not recommend that the contract be cancelled.",
         "the delays unacceptable", "the contract be cancelled"),
        ("She said she would attend the meeting but wouldn't say whether she would speak.",
         "she would attend the meeting", "whether she would speak"),
    ],
)
def test_a_coordinated_cue_after_an_auxiliary_adds_a_report(text, first, second):
    frames = _frames(text)
    assert len(frames) == 2
    assert frames[0][0] == frames[1][0]  # the same speaker
    assert sorted(c.rstrip(".") for _, _, c in frames) == sorted([first, second])


def test_a_second_verb_after_an_auxiliary_that_is_no_cue_stays_in_the_report():
    # a passive after a copula, and a modal before a verb that is not a cue, add nothing
    assert [c[2].rstrip(".") for c in _frames("The mayor praised the plan and was told to wait for the vote.")] \
        == ["the plan and was told to wait for the vote"]
    assert [c[2].rstrip(".") for c in _frames("He said the levy would rise and would hurt small farms.")] \
        == ["the levy would rise and would hurt small farms"]


@pytest.mark.parametrize(
    ("text", "asker", "question"),
    [
        ("When asked by a reporter whether the school would close, the head teacher said it would not.",
         "a reporter", "whether the school would close"),
        ("Asked by the presenter if he regretted the vote, the councillor shook his head.",
         "the presenter", "if he regretted the vote"),
        ("The minister was asked by Jo Baker on Thursday about the cost of the new bridge.",
         "Jo Baker", "about the cost of the new bridge"),
    ],
)
def test_the_one_who_asks_in_a_passive_with_by_reports_the_question(text, asker, question):
    frames = _frames(text)
    assert (asker, "ask", question) in [(s, c, t.rstrip(".")) for s, c, t in frames]


def test_the_answer_after_an_asked_by_clause_keeps_its_own_frame():
    frames = _frames("When asked by a reporter whether the school would close, the head teacher said it would not.")
    assert ("the head teacher", "say", "it would not") in [(s, c, t.rstrip(".")) for s, c, t in frames]
    # the subject of `was asked` is the addressee, never the content; without a question, `asked by` frames nothing
    assert [(s, t) for s, c, t in _frames("The mayor was asked by a reporter why the library closed.") if c == "ask"] \
        == [("a reporter", "why the library closed")]
    assert not [f for f in _frames("The coach was asked by the club.") if f[1] == "ask"]
