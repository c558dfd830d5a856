from pipelines.text.paragraphs import split_paragraphs
from pipelines.text.quotes import find_quotes


def quotes(text):
    return [(text[q.start:q.end], q) for q in find_quotes(text, split_paragraphs(text))]


def texts(text):
    return [t for t, _ in quotes(text)]


def test_curly_and_straight_double_quotes():
    assert texts('He said “yes” and she said "no" today.') == ["yes", "no"]


def test_single_quotes_as_quotation_marks():
    assert texts("The so-called ‘moderate’ wing and the 'hard' line.") == ["moderate", "hard"]


def test_apostrophes_are_not_quotes():
    assert texts("The Generals’ calls in the ’90s were Pakistan’s, and the girls' toys weren't.") == []


def test_nested_quotes():
    found = quotes("“He told me ‘never again’ twice,” she said.")
    assert [(t, q.depth) for t, q in found] == [("He told me ‘never again’ twice,", 0), ("never again", 1)]


def test_multi_paragraph_quote_convention():
    text = "“The first part runs on.\n\n“And it ends here,” he said."
    found = quotes(text)
    assert [t for t, _ in found] == ["The first part runs on.", "And it ends here,"]
    assert found[0][1].continues and not found[0][1].unclosed
    assert found[1][1].continued


def test_unbalanced_quote_is_cut_at_paragraph_end_and_flagged():
    text = "She said “this never closes.\n\nNext paragraph is plain."
    (t, q), = quotes(text)
    assert t == "this never closes." and q.unclosed


def test_double_apostrophe_quotes():
    assert texts("''It works,'' Mr. Burman said.") == ["It works,"]


def test_only_quotation_marks_never_crash():
    assert texts('"" “” ‘’ \'\' " “') == []
