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


def test_mined_counts_tell_a_cue_use_from_another_use_of_the_same_word():
    table = train.cue_table(train.mine_cues([GOLD, GOLD, GOLD]))
    assert table[("declined", "to", "name")] == (3, 3)  # always a cue before "to", after a name
    assert table[("declined", "other", "noun")] == (0, 3)  # "The mayor declined the invitation": kept, lowers the rate
    assert table[("said", "other", "noun")] == (3, 3)
    assert not any(form == "comment" for form, _, _ in table)  # never a cue: not written


def test_rare_subject_contexts_are_summed_so_the_forms_rate_stays_exact():
    table = train.cue_table(train.mine_cues([GOLD]))  # every context seen once: below the row minimum
    assert table[("declined", "to", "*")] == (1, 1)
    assert table[("declined", "other", "*")] == (0, 1)
    assert sum(n for (form, _, _), (_, n) in table.items() if form == "declined") == 2


def test_labels_follow_the_scorers_matching():
    right = {"content": _span("the vote was close"), "source": _span("the council"), "cue": _span("said")}
    wrong_source = {"content": _span("to comment on the plan"), "source": _span("The mayor"), "cue": _span("declined")}
    stray = {"content": _span("The mayor declined the invitation"), "source": _span("The mayor"), "cue": None}
    assert cv.label(GOLD, [right, wrong_source, stray]) == [True, False, False]


def test_author_voice_claims_are_right_only_without_a_sourced_attribution_inside():
    first_paragraph = (0, TEXT.index("\n"))
    assert not cv.author_right(GOLD, first_paragraph)
    assert cv.author_right(GOLD, (TEXT.index("The mayor"), TEXT.index(", and")))
