"""Coordinated reports, learned cues and the confidence of attributions."""

import math

import pytest

from pipelines.text import confidence, cue_model
from pipelines.text.tokens import tokenize
from tests.text.helpers import Result


@pytest.mark.parametrize(
    ("text", "first", "second", "second_cue"),
    [
        ("The minister said the rail link was on budget but admitted the opening would slip.",
         "the rail link was on budget", "the opening would slip", "admit"),
        ("Ms Patel said she had met the developers twice and insisted that no deal was made.",
         "she had met the developers twice", "no deal was made", "insist"),
        ("Governor Ruiz told reporters that the ban would stay, adding that schools could reopen in May.",
         "the ban would stay", "schools could reopen in May", "add"),
    ],
)
def test_a_second_cue_with_the_same_subject_is_its_own_claim(text, first, second, second_cue):
    r = Result(text)
    claims = sorted(r.attributed(), key=lambda c: c["char_start"])
    assert [c["text"] for c in claims] == [first, second]
    assert claims[0]["source_id"] == claims[1]["source_id"]
    assert claims[1]["cue"] == second_cue


def test_a_new_subject_after_and_keeps_its_own_speaker():
    r = Result("Ms Patel said the deal was fair and the unions said it was not.")
    assert all(r.speaker(c) != "Patel" or "unions" not in c["text"] or c["char_start"] == 0 for c in r.attributed())
    assert not any(c["text"] == "it was not" and "Patel" in (r.speaker(c) or "") for c in r.attributed())


def test_a_cue_outside_the_lexicon_is_read_when_the_data_says_it_usually_is_one():
    cue_model.use(cue_model.CueModel(-4.0, {"fa=declined|to": 6.0}, frozenset({"declined"})))
    try:
        r = Result("The company declined to comment on the report.")
        (claim,) = r.attributed()
        assert r.span(claim, "cue_start", "cue_end") == "declined"
        cue_model.use(cue_model.CueModel(-4.0, {"fa=declined|to": 1.0}, frozenset({"declined"})))
        assert Result("The company declined to comment on the report.").attributed() == []
        cue_model.use(cue_model.CueModel(-4.0, {"fa=declined|to": 6.0}, frozenset()))
        assert Result("The company declined to comment on the report.").attributed() == []  # a form not scored
    finally:
        cue_model.use(None)


def test_the_subject_slot_decides_a_learned_cue_its_word_alone_leaves_open():
    # "backed" heads a cue after a pronoun or a name, hardly ever after a determiner ("the backed bill")
    cue_model.use(cue_model.CueModel(-2.0, {"fb=backed|name": 3.0, "fb=backed|pron": 2.5, "fb=backed|det": -3.0},
                                     frozenset({"backed"})))
    try:
        assert Result("Senator Ruth Alvarez backed the new housing bill on Monday.").attributed()
        det, name = tokenize("The backed bill passed.", 0, 23), tokenize("Alvarez backed the bill.", 0, 24)
        assert cue_model.probability(det, 1, False) < cue_model.MIN_PROBABILITY < cue_model.probability(name, 1, False)
    finally:
        cue_model.use(None)


def test_features_describe_the_context_not_the_sentence():
    toks = tokenize("She flatly rejected that the plan failed.", 0, 41)
    feats = cue_model.features(toks, 2, False)
    assert {"f=rejected", "lem=reject", "a=that", "b=pron", "fa=rejected|that", "subj=she"} <= set(feats)
    assert not any("plan" in f for f in feats)  # two words on at most: no sentence is kept


@pytest.mark.parametrize(("sentence", "word", "slot"), [
    ("He has long backed it.", "backed", "pron"),
    ("Mrs Okoro backed it.", "backed", "name"),
    ("The backed candidate lost.", "backed", "det"),
    ("Backed by unions, she won.", "Backed", "start"),
    ("The sources, however, backed it.", "backed", "noun"),
    ("It was, in short, backed by all.", "backed", "pron"),  # a phrase interjected between commas is skipped
    ("It was, as a rule of thumb, backed by all.", "backed", "punct"),  # a longer insertion is not
    ("A vote for backing it failed.", "backing", "fn"),
    ("Who backed it?", "backed", "pron"),
])
def test_the_subject_slot_class_skips_adverbs_and_auxiliaries(sentence, word, slot):
    toks = tokenize(sentence, 0, len(sentence))
    k = next(i for i, t in enumerate(toks) if t.text == word)
    assert cue_model.before_class(toks, k) == slot


def test_confidence_is_in_range_for_every_claim_and_quote():
    r = Result("“We are ready,” said Jane Okafor. The vote is on Tuesday. Critics fear the plan may fail.")
    for row in r.rows["claims"] + r.rows["quotes"]:
        assert 0.0 <= row["confidence"] <= 1.0


def _features(kind, lemma, form, source, content, quoted, cue_after=True):
    key = confidence.reading(kind, lemma, form, source, quoted)
    return confidence.features(key, form, source, content, cue_after, False)


def test_a_plain_quotation_with_said_outranks_a_learned_cue_with_a_description():
    said = confidence.estimate(_features("quote", "say", "said", "Jane Okafor", "“We are ready”", True))
    learned = confidence.estimate(_features("reported", "decline", "declined", "the firm", "to comment", False, False))
    assert said > learned


def test_the_confidence_is_the_logistic_of_the_weights_of_the_features_present():
    model = confidence.ConfidenceModel(0.0, {"cue=said": 2.0, "s=name": 1.0, "cue=mulled": -3.0}, author=0.7)
    confidence.use(model)
    try:
        said = confidence.estimate(_features("quote", "say", "said", "Jane Okafor", "“We are ready”", True))
        mulled = confidence.estimate(_features("reported", "mull", "mulled", "Jane Okafor", "a bid", False))
        assert said == round(1 / (1 + math.exp(-3.0)), 3) and mulled == round(1 / (1 + math.exp(2.0)), 3)
        assert confidence.estimate(None) == 0.7  # the author's voice
        assert confidence.ConfidenceModel.parse("\n".join(model.dump())) == model
    finally:
        confidence.use(None)
    confidence.use(confidence.ConfidenceModel())
    try:
        assert confidence.estimate(_features("quote", "say", "said", "Ann Lee", "“Yes”", True)) is None  # no model
    finally:
        confidence.use(None)


def test_confidence_features_are_words_and_classes_not_the_sentence():
    feats = _features("reported", "say", "said", "the mayor of Springfield", "the bridge will reopen in May", False)
    assert {"cue=said", "sw0=the", "c0=the", "s=description", "at=after"} <= set(feats)
    assert not any("bridge" in f or "Springfield" in f or "reopen" in f for f in feats)


@pytest.mark.parametrize("text", [
    "Speaker Lena Hart on Tuesday called the proposal reckless.",
    "Governor Amos Reed Monday signed an order that the border stays shut.",
])
def test_a_weekday_before_the_cue_is_not_the_source(text):
    r = Result(text)
    for claim in r.attributed():
        assert r.span(claim, "source_start", "source_end") not in ("Tuesday", "Monday")


def test_a_learned_cue_after_an_existential_there_has_no_speaker():
    cue_model.use(cue_model.CueModel(-2.0, {"f=suggestions": 4.0}, frozenset({"suggestions"})))
    try:
        assert Result("There have been suggestions the plan would be delayed.").attributed() == []
    finally:
        cue_model.use(None)


def test_a_learned_cue_the_cue_model_doubts_is_less_trusted():
    sentence = "The company declined to comment on the report."
    confidence.use(confidence.ConfidenceModel(0.0, {"cp=8": 2.0, "cp=4": -0.5}, author=0.7))
    try:
        scores = []
        for weight in (6.0, 3.9):  # the cue model sure of `declined to`, then barely past its threshold
            cue_model.use(cue_model.CueModel(-4.0, {"fa=declined|to": weight}, frozenset({"declined"})))
            (claim,) = Result(sentence).attributed()
            scores.append(claim["confidence"])
        assert scores[0] > 0.8 > scores[1]
    finally:
        cue_model.use(None)
        confidence.use(None)
