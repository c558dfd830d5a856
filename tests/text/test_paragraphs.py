from pipelines.text.paragraphs import comparable, segment_paragraphs, split_paragraphs

BODY = ("The plan was approved after a long debate in which the council heard from dozens of residents. "
        "Critics said the power-sharing deal would not last the winter.")


def kinds(text):
    return [(p.kind, p.duplicate_of) for p in segment_paragraphs(text)]


def test_blank_line_and_one_per_line_conventions():
    assert len(split_paragraphs("A\n\nB\nstill B\n\nC")) == 3
    assert len(split_paragraphs("A\nB\nC")) == 3


def test_headline_and_exact_pull_quote():
    text = f"Plan approved\n\n{BODY}\n\nThe plan was approved after a long debate\n\nMore text follows here."
    assert kinds(text) == [("headline", None), ("body", None), ("pull_quote", 1), ("body", None)]


def test_near_pull_quote_with_hyphen_and_marks():
    text = f"Plan approved\n\n{BODY}\n\n“Critics said the power sharing deal would not last the winter”\n\nEnd of the story here."
    assert kinds(text)[2] == ("pull_quote", 1)


def test_lone_quotation_paragraph_is_body():
    text = f"Plan approved\n\n{BODY}\n\n“Courage without thought is folly.”\n\nEnd of the story here."
    assert kinds(text)[2] == ("body", None)


def test_long_first_paragraph_is_not_headline():
    text = BODY + "\n\n" + BODY.upper()
    assert kinds(text)[0][0] == "body"


def test_comparable():
    assert comparable("Power-sharing “deal”.") == "power sharing deal"
