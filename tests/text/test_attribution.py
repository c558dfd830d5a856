"""Attribution patterns, one hand-written text per style."""

import pytest

from tests.text.helpers import Result


@pytest.mark.parametrize(
    ("text", "content", "speaker", "source_words", "cue"),
    [
        ("“The bridge will open in May,” the mayor said.", "The bridge will open in May", "mayor", "the mayor", "say"),
        ("“We are ready,” said Jane Okafor, the council leader.", "We are ready", "Jane Okafor", "Jane Okafor", "say"),
        ("Jane Okafor said: “We are ready for the vote.”", "We are ready for the vote", "Jane Okafor", "Jane Okafor", "say"),
        ('"It works," Tom Reilly said. ', "It works", "Tom Reilly", "Tom Reilly", "say"),
        ("Tom Reilly argued that the plan would push rents up.", "the plan would push rents up", "Tom Reilly", "Tom Reilly", "argue"),
        ("Tom Reilly, a local shop owner, warned the plan would push rents up.", "the plan would push rents up",
         "Tom Reilly", "Tom Reilly", "warn"),
        ("According to council officials, work could begin next spring.", "work could begin next spring",
         "council officials", "council officials", "according to"),
        ("Work could begin next spring, according to the council.", "Work could begin next spring", "council",
         "the council", "according to"),
        ("Jane Okafor told reporters that the budget was balanced.", "the budget was balanced", "Jane Okafor",
         "Jane Okafor", "tell"),
        ("The budget is balanced, officials say.", "The budget is balanced", "officials", "officials", "say"),
        ("In a statement, the ministry said the talks had failed.", "the talks had failed", "ministry", "the ministry", "say"),
        ("The harbour plan, Tom Reilly explained, was never costed.", "was never costed", "Tom Reilly", "Tom Reilly",
         "explain"),
    ],
)
def test_frames(text, content, speaker, source_words, cue):
    r = Result(text)
    (claim,) = r.attributed()
    assert content in claim["text"]
    assert speaker in r.speaker(claim)
    assert r.span(claim, "source_start", "source_end") == source_words
    assert claim["cue"] == cue
    assert claim["claim_type"] in ("direct_quote", "partial_quote", "reported_speech")


def test_split_quote_has_one_speaker_for_both_halves():
    r = Result("“Our plan,” the minister warned, “is the only plan we have.”")
    (claim,) = r.attributed()
    assert claim["claim_type"] == "direct_quote"
    assert claim["text"].startswith("Our plan") and claim["text"].endswith("only plan we have.")
    halves = [q for q in r.rows["quotes"]]
    assert len(halves) == 2 and {q["source_id"] for q in halves} == {claim["source_id"]}
    assert all(q["attribution"] == "explicit" for q in halves)


def test_pronoun_resolves_to_named_speaker_but_keeps_its_span():
    r = Result("Jane Okafor, the mayor, spoke on Monday. The hall was full.\n\n“We listened,” she said.")
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == "she"
    assert r.speaker(claim) == "Jane Okafor"


def test_description_resolves_to_nearest_person():
    r = Result("General Ann Moss visited the base. “We hold the line,” the country’s army chief said.")
    (claim,) = r.attributed()
    assert r.speaker(claim) == "Ann Moss"
    assert r.span(claim, "source_start", "source_end") == "the country’s army chief"


def test_continuation_takes_previous_speaker():
    r = Result("“We listened,” Jane Okafor said.\n\n“And we changed the plan.”")
    quote = r.quote("And we changed the plan")
    assert quote["attribution"] == "continuation"
    assert r.sources[quote["source_id"]]["name"] == "Jane Okafor"


def test_partial_quote_inside_reported_speech():
    r = Result("Okafor said the plan would be “a gift to the city” in the long run.")
    (claim,) = r.attributed()
    assert claim["claim_type"] == "partial_quote"
    assert r.quote("a gift to the city")["quote_type"] == "partial"


def test_scare_quote_has_no_speaker():
    r = Result("The so-called ‘moderate’ faction met in secret.")
    q = r.quote("moderate")
    assert q["quote_type"] == "scare" and q["source_id"] is None and q["attribution"] == "none"


def test_anonymous_sources():
    r = Result("The deal is dead, sources said.")
    (claim,) = r.attributed()
    assert r.sources[claim["source_id"]]["source_type"] == "anonymous"


def test_capital_city_is_a_government_source():
    r = Result("Beijing has long claimed that the islands are its own.")
    (claim,) = r.attributed()
    assert r.sources[claim["source_id"]]["source_type"] == "government"
    assert claim["text"] == "the islands are its own."


def test_british_punctuation_outside_quote():
    r = Result("‘It is finished’, the minister said.")
    (claim,) = r.attributed()
    assert claim["text"] == "It is finished"


def test_added_clause_keeps_speaker():
    r = Result("Tom Reilly said the rents would rise, adding that shops would close.")
    claims = r.attributed()
    assert [c["cue"] for c in claims] == ["say", "add"]
    assert claims[0]["text"] == "the rents would rise"
    assert {c["source_id"] for c in claims} == {claims[0]["source_id"]}


def test_no_attribution_in_plain_sentence():
    r = Result("The bridge opened in May after years of delay.")
    assert r.attributed() == []
    (claim,) = r.rows["claims"]
    assert claim["claim_type"] == "assertion" and claim["source_id"] is None


def test_transcript_line():
    r = Result("Partial transcript follows:\n\nHOST: Do you support the plan?\n\nOKAFOR: Yes, completely.")
    speakers = sorted(r.speaker(c) for c in r.attributed())
    assert speakers == ["HOST", "OKAFOR"]


def test_dash_credit():
    r = Result("“The schools need money now.” ― Maria Lopez, teacher")
    (claim,) = r.attributed()
    assert r.speaker(claim) == "Maria Lopez"


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        ("The mayor wants to close the harbour by May.", "to close the harbour by May", "mayor", "want"),
        ("Okafor has vowed to rebuild the pier.", "to rebuild the pier", "Okafor", "vow"),
        ("After the storm, Jane Okafor went on radio to warn residents the pier was unsafe.",
         "the pier was unsafe", "Jane Okafor", "warn"),
        ("Some believe the plan will fail.", "the plan will fail", "some", "believe"),
        ("It is widely believed that the deal will collapse.", "the deal will collapse", "unnamed sources", "believe"),
        ("Powerful voices were urging the council to resign.", "the council to resign", "Powerful voices", "urge"),
        ("The panel found the port had broken its contract.", "the port had broken its contract", "panel", "find"),
        ("“It is unsafe,” Ruth Adeyemi, the harbour master, one of the plan’s critics, said on Monday.", "It is unsafe",
         "Ruth Adeyemi", "say"),
        ("Tom Reilly -- owner of a bakery, a shop on the quay -- said the rents would double.", "the rents would double",
         "Tom Reilly", "say"),
        ("“That makes me smart,” the developer boasted.", "That makes me smart", "developer", "boast"),
    ],
)
def test_more_frames(text, content, speaker, cue):
    r = Result(text)
    claims = r.attributed()
    assert claims, "no attribution found"
    claim = claims[0]
    assert content in claim["text"]
    assert speaker.lower() in r.speaker(claim).lower()
    assert claim["cue"] == cue


@pytest.mark.parametrize(
    "text",
    [
        "I believe the harbour plan is a mistake.",  # the author's own opinion
        "Everything the mayor says is a lie.",  # the cue sits in a relative clause
        "The claims were never tested in court.",  # a noun, not a verb
        "The report was first published by the council.",  # a passive
        "Taliban pragmatists understand the benefits of a deal.",  # no reported clause
    ],
)
def test_not_attributions(text):
    assert Result(text).attributed() == []


def test_relative_pronoun_source_resolves_to_the_person_before_it():
    r = Result("The plan angered Dana Whitcombe, who said it would ruin the quay.")
    (claim,) = r.attributed()
    assert r.span(claim, "source_start", "source_end") == "who"
    assert r.speaker(claim) == "Dana Whitcombe"


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("The closure was first reported by the Gazette.", "the Gazette", "The closure"),
        ("The new levy was sharply criticized by local farmers.", "local farmers", "The new levy"),
    ],
)
def test_a_passive_speech_verb_with_its_agent_reports_the_subject(text, source, content, monkeypatch):
    from pipelines.text import extract

    monkeypatch.setattr(extract, "MIN_ATTRIBUTION_CONFIDENCE", 0.0)  # the reading, not its learned weight
    r = Result(text)
    (claim,) = r.attributed()
    assert (r.span(claim, "source_start", "source_end"), claim["text"]) == (source, content)


@pytest.mark.parametrize(
    "text",
    [
        "The mayor was told by a reporter that the library had closed.",  # the subject is the addressee
        "A book written by the senator was published in May.",  # no auxiliary: a participle describing the noun
        "The plan, which was first reported by the Gazette, will cost millions.",  # a relative pronoun reports nothing
    ],
)
def test_a_passive_whose_subject_is_no_reported_content_frames_nothing(text, monkeypatch):
    from pipelines.text import extract

    monkeypatch.setattr(extract, "MIN_ATTRIBUTION_CONFIDENCE", 0.0)
    r = Result(text)
    assert all(c["cue"] not in {"report", "write", "ask"} for c in r.attributed())
