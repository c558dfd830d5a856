"""Where reported content ends (`content_ends.py`): each clause boundary on sentences of our own."""

import pytest

from pipelines.text import content_ends
from pipelines.text.attribution_base import _Sentence
from pipelines.text.quotes import find_quotes
from pipelines.text.segment import segment
from pipelines.text.tokens import tokenize
from tests.text.helpers import Result


def _sentence(text: str) -> _Sentence:
    layout = segment(text)
    s = layout.sentences[-1]
    return _Sentence(text, s, list(enumerate(find_quotes(text, layout.paragraph_spans()))), tokenize(text, s.start, s.end))


def _cut(text: str, source: str, cue: str, content_from: str, boundaries) -> str:
    st = _sentence(text)
    toks = st.tokens
    src_k = next(k for k, t in enumerate(toks) if t.text == source)
    cue_k = next(k for k, t in enumerate(toks) if t.text == cue)
    a, b = text.index(content_from), len(text.rstrip("."))
    c = content_ends.clause_end(text, st, (src_k, src_k), cue_k, (a, b), boundaries)
    return text[c[0]:c[1]]


@pytest.mark.parametrize(("text", "source", "cue", "start", "rule", "content"), [
    ("While lawyers opposed the rule, the party backed it.", "lawyers", "opposed", "the rule",
     content_ends.SUBORDINATE, "the rule"),
    ("Ms Lee, who estimated that a third were members, said the list was secret.", "who", "estimated",
     "a third", content_ends.RELATIVE, "a third were members"),
    ("He denied the charges and accused her of lying.", "He", "denied", "the charges", content_ends.OBJECT,
     "the charges"),
    ("Officials deny any link, but critics point to the emails.", "Officials", "deny", "any link", content_ends.BUT,
     "any link"),
    ("Lee backed the mayor in June, but only after long talks.", "Lee", "backed", "the mayor",
     content_ends.OBJECT_COMMA, "the mayor in June"),
    ("Lee criticised the budget, although he voted for it.", "Lee", "criticised", "the budget",
     content_ends.OBJECT_COMMA, "the budget"),
])
def test_each_boundary_cuts_where_its_clause_begins(text, source, cue, start, rule, content):
    assert _cut(text, source, cue, start, (rule,)) == content


@pytest.mark.parametrize(("text", "source", "cue", "start", "rule"), [
    # the rule does not apply to this frame
    ("Lawyers opposed the rule, the party said.", "Lawyers", "opposed", "the rule", content_ends.SUBORDINATE),
    ("Ms Lee said a third were members, and the list was secret.", "Lee", "said", "a third", content_ends.RELATIVE),
    ("He said that the charges were false and accused her of lying.", "He", "said", "the charges", content_ends.OBJECT),
    # no clause of its own after `, but`
    ("Officials deny any link, but not the meeting itself.", "Officials", "deny", "any link", content_ends.BUT),
])
def test_a_boundary_leaves_content_alone_where_it_does_not_apply(text, source, cue, start, rule):
    assert _cut(text, source, cue, start, (rule,)) == text[text.index(start):].rstrip(".")


def test_reported_content_is_cut_by_the_rules_in_order():
    r = Result("Ms Lee, who estimated that a third were members, said the list was secret.")
    assert [c["text"].rstrip(".") for c in r.attributed()][0] == "a third were members"


def test_a_reported_clause_is_not_cut_at_a_comma_and_conjunction():
    # only a plain object ends there: "said that …, although …" keeps its clause whole
    text = "Lee said the budget was fair, although it was late."
    assert _cut(text, "Lee", "said", "the budget", (content_ends.OBJECT_COMMA,)) == "the budget was fair, although it was late"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Voters who think the economy is getting worse are angry.", "the economy is getting worse"),
        ("Farmers who say the quota will ruin them were at the meeting.", "the quota will ruin them"),
    ],
)
def test_a_report_in_a_restrictive_relative_clause_ends_where_the_main_verb_comes_back(text, content):
    r = Result(text)
    assert [c["text"] for c in r.attributed()] == [content]
