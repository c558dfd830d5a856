from pipelines.text.normalise import article_id, normalise, word_count


def test_line_ends_bom_and_trailing_space():
    assert normalise("\ufeffA line  \r\nB\rC") == "A line\nB\nC"


def test_nfc_and_controls():
    assert normalise("Cafe\u0301\x00\x07 ok") == "Café ok"


def test_blank_lines_collapse_and_strip():
    assert normalise("\n\nA\n\n\n\nB\n\n") == "A\n\nB"


def test_article_id_is_stable_and_depends_on_text():
    a = article_id(normalise("Same text"))
    assert a == article_id(normalise("Same text\r\n"))
    assert a != article_id(normalise("Other text"))
    assert len(a) == 16 and all(c in "0123456789abcdef" for c in a)


def test_word_count_ignores_punctuation():
    assert word_count("Hello , world — again!") == 3
