"""Training and cross-validation helpers: counts mined from annotated text, and the per-prediction
labels the confidence table is fitted on (small texts of our own, BRAT-like gold)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
train = pytest.importorskip("train")
cv = pytest.importorskip("cv")

TEXT = ("Councillors declined to comment on the plan.\n\n"
        "The mayor declined the invitation, and the council said the vote was close.")


def _span(word: str, nth: int = 0) -> list[tuple[int, int]]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return [(start, start + len(word))]


GOLD = {"text": TEXT, "rels": [
    {"has_source": True, "source": _span("Councillors"), "cue": _span("declined"), "content": _span("to comment on the plan")},
    {"has_source": True, "source": _span("the council"), "cue": _span("said"), "content": _span("the vote was close")},
]}


def test_examples_label_each_use_of_a_word_by_the_gold_cues():
    examples = train.article_examples(GOLD)
    declined = [(cue, feats) for feats, cue, form in examples if form == "declined"]
    assert [cue for cue, _ in declined] == [True, False]  # "declined to comment" is a cue, "declined the invitation" not
    assert "fa=declined|to" in declined[0][1] and "fa=declined|other" in declined[1][1]
    assert not any(form == "comment" and cue for _, cue, form in examples)
    assert not any(form == "councillors" for _, _, form in examples)  # capitalised: never a learned cue


def test_the_fitted_model_tells_a_cue_use_from_another_use_of_the_same_word():
    pytest.importorskip("sklearn")
    examples = train.article_examples(GOLD) * 20
    model = train.fit_cue_model(examples)
    declined = [feats for feats, _, form in examples[: len(examples) // 20] if form == "declined"]
    assert model.probability(declined[0]) > 0.5 > model.probability(declined[1])
    assert "declined" in model.forms and "said" not in model.forms  # a lexicon form is read by the rules
    assert train.fit_cue_model(examples) == model  # deterministic


def test_labels_follow_the_scorers_matching():
    right = {"content": _span("the vote was close"), "source": _span("the council"), "cue": _span("said")}
    wrong_source = {"content": _span("to comment on the plan"), "source": _span("The mayor"), "cue": _span("declined")}
    stray = {"content": _span("The mayor declined the invitation"), "source": _span("The mayor"), "cue": None}
    assert cv.label(GOLD, [right, wrong_source, stray]) == [True, False, False]


def test_author_voice_claims_are_right_only_without_a_sourced_attribution_inside():
    first_paragraph = (0, TEXT.index("\n"))
    assert not cv.author_right(GOLD, first_paragraph)
    assert cv.author_right(GOLD, (TEXT.index("The mayor"), TEXT.index(", and")))
