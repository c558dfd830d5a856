"""Property tests: spans always reproduce their text; paragraphs tile the text; sentences nest."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.text.article import analyse
from pipelines.text.normalise import article_id, normalise

WORDS = st.sampled_from(["The", "minister", "said", "“", "”", '"', "'", "’", "‘", "Mr.", "U.S.", "3.5", ",", ".",
                         "?", "!", "\n", "\n\n", "according", "to", "officials", "He", "warned", ":", "—", "Sept.",
                         "11", "2016", "Taliban", "ISI", "(", ")", "Jane", "Okafor", "argued", "that", "will",
                         "may", "é", "😀", "שלום"])
TEXTS = st.one_of(st.lists(WORDS, max_size=80).map(" ".join), st.text(max_size=300))


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_every_span_reproduces_its_text(raw):
    text = normalise(raw)
    aid = article_id(text)
    _, rows = analyse(aid, text)
    paragraphs = rows["paragraphs"]
    for p in paragraphs:
        assert 0 <= p["char_start"] < p["char_end"] <= len(text)
        assert text[p["char_start"]:p["char_end"]].strip() == text[p["char_start"]:p["char_end"]]
    # paragraphs are in order, disjoint, and only white space lies between them
    prev_end = 0
    for p in paragraphs:
        assert text[prev_end:p["char_start"]].strip() == ""
        prev_end = p["char_end"]
    assert text[prev_end:].strip() == ""
    by_no = {p["paragraph_no"]: p for p in paragraphs}
    for s in rows["sentences"]:
        assert text[s["char_start"]:s["char_end"]] == s["text"]
        p = by_no[s["paragraph_no"]]
        assert p["char_start"] <= s["char_start"] < s["char_end"] <= p["char_end"]
    for table, col in (("claims", "text"), ("quotes", "text"), ("mentions", "surface"), ("time_expressions", "surface")):
        for r in rows[table]:
            assert text[r["char_start"]:r["char_end"]] == r[col]
    for c in rows["claims"]:
        for a, b in (("source_start", "source_end"), ("cue_start", "cue_end")):
            if c[a] is not None:
                assert 0 <= c[a] < c[b] <= len(text)
