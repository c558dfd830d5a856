"""Attribution per sentence, an opening survey phrase: `In an NBC News poll released Monday, 50 percent chose
Clinton`, `In the latest surveys, she leads by nine points`. The poll or survey reports the clause after the
comma, as `according to` a poll would (PolNeAR annotates the poll as the source and `In` as the cue: 21 of the
27 such openings of the 924 train and dev articles, all those whose phrase is a poll with a modifier).
`frame_reading.py` asks here before reading cues. The poll's claim covers the whole clause, a report inside it
included (`In a new survey, most farmers said …`): so PolNeAR annotates it, and keeping the nested report instead
scored lower (CV 0.7052 against 0.7056).
"""

from __future__ import annotations

from pipelines.text.attribution_base import FINITE, Attribution, _Sentence, _strip
from pipelines.text.content_span import MIN_LEAD_WORDS
from pipelines.text.cue_finding import CLAUSE_OPENERS
from pipelines.text.frame_words import section

# Most tokens between `In` and the comma closing the phrase (`In a national CNN/ORC poll released Monday,`).
MAX_SURVEY_PHRASE = 16
# Words that open a clause of their own inside the phrase (`In eight states where exit polls were conducted,`).
_CLAUSE_WORDS = frozenset({"where", "when", "as", "which", "who", "that", "while", "after", "before", "if"})


def survey_clause_frame(text: str, st: _Sentence) -> Attribution | None:
    """The attribution of a sentence opening with `In <a poll or survey>,` (after `But`/`And`), or None."""
    toks = st.tokens
    i = 0
    while i < len(toks) and (not toks[i].is_word or toks[i].lower in CLAUSE_OPENERS) and not st.inside[i]:
        i += 1
    if i + 3 >= len(toks) or toks[i].lower != "in" or (toks[i].text != "In" and i == 0) or st.inside[i]:
        return None
    comma = None
    for j in range(i + 1, min(len(toks), i + MAX_SURVEY_PHRASE + 1)):
        t = toks[j]
        if st.inside[j] or t.text in ";:“\"()":
            return None
        if t.text == ",":
            comma = j
            break
        if t.lower in FINITE or t.lower in _CLAUSE_WORDS:
            return None  # a clause inside the phrase: not a poll's own words
    if comma is None or comma == i + 1:
        return None
    phrase = toks[i + 1:comma]
    if not any(t.lower in section("survey_nouns") for t in phrase):
        return None
    if len([t for t in phrase if t.is_word and t.lower not in section("determiners")]) < 2:
        return None  # "In the polls, anyway": no particular poll
    content = _strip(text, toks[comma].end, st.s.end, trail=" ,;—–-\n.")
    if len(st.words_between(*content)) < MIN_LEAD_WORDS:
        return None
    # the source ends with its survey noun: what follows is when or by whom it was taken (`released Monday`,
    # `last month`), which would read as a time that cannot speak
    last = max(j for j in range(i + 1, comma) if toks[j].lower in section("survey_nouns"))
    return Attribution(st.s.sentence_no, content, (toks[i + 1].start, toks[last].end), (toks[i].start, toks[i].end),
                       "according to", "according", [n for n, q in st.quotes if content[0] <= q.start < content[1]])
