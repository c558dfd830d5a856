"""Attribution per sentence, a frame in an opening `as` clause: `As the mayor noted on Monday, the bridge will
reopen`, `But as Ms Hale put it, …`, `As first reported by the Herald, …`. The clause names the source and the
cue; what it reports is the main clause after its comma. `frame_reading.py` asks here before reading cues.
"""

from __future__ import annotations

from pipelines.text.attribution_base import FINITE, Attribution, _Sentence, _span, _strip, skip_back
from pipelines.text.content_span import MIN_LEAD_WORDS
from pipelines.text.cue_finding import CLAUSE_OPENERS, forms_class
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.source_choice import _np_left, _np_right

# Most tokens of an opening `as` clause up to its comma (`As the nationalist tabloid noted in an op-ed Thursday,`).
MAX_AS_CLAUSE = 14
# Most words of the subject between `as` and its verb when no known kind of phrase reads it
# (`as the nationalist Global Times tabloid noted`).
MAX_AS_SUBJECT = 8
# Cue classes an `as` clause reports with (`As X said/noted/believes`); not intentions (`As X planned, …`).
REPORTING_CLASSES = frozenset({"speech", "belief"})


def as_clause_frame(text: str, st: _Sentence) -> Attribution | None:
    """The attribution of a sentence opening with `As X <cue> …,` (or `As <cued> by X,`), or None."""
    toks = st.tokens
    i = 0
    while i < len(toks) and (not toks[i].is_word or toks[i].lower in CLAUSE_OPENERS) and not st.inside[i]:
        i += 1
    if i + 3 >= len(toks) or toks[i].lower != "as" or st.inside[i]:
        return None
    comma = next((j for j in range(i + 2, min(len(toks), i + MAX_AS_CLAUSE + 1))
                  if toks[j].text == "," and not st.inside[j]), None)
    if comma is None:
        return None
    read = _cue_and_source(st, i + 1, comma)
    if read is None:
        return None
    (first, last, lemma), src_r = read
    content = _strip(text, toks[comma].end, st.s.end, trail=" ,;—–-\n.")
    if len(st.words_between(*content)) < MIN_LEAD_WORDS:
        return None
    return Attribution(st.s.sentence_no, content, _span(toks, src_r), (toks[first].start, toks[last].end), lemma,
                       "reported", [i for i, q in st.quotes if content[0] <= q.start < content[1]])


def _cue_and_source(st: _Sentence, a: int, comma: int) -> tuple[tuple[int, int, str], tuple[int, int]] | None:
    """((first, last, lemma) of the cue, source tokens) in the clause tokens a..comma: a subject right after
    `as` and its reporting verb (`the mayor noted`, `she put it`), or a passive with `by` (`reported by X`)."""
    toks = st.tokens
    forms = verb_forms()
    for k in range(a, comma):
        t = toks[k]
        if st.inside[k] or not t.text[0].islower() or t.lower.endswith("ing") or toks[k - 1].lower in section("determiners"):
            continue  # "As the attacks were unfolding", "As an added benefit": no reporting verb
        put_it = t.lower == "put" and toks[k + 1].lower == "it"
        known = forms.get(t.lower)
        if not put_it and (known is None or forms_class(known[0]) not in REPORTING_CLASSES):
            continue
        if toks[k + 1].lower == "by" and all(toks[j].lower.endswith("ly") or toks[j].lower == "first" for j in range(a, k)):
            # "As reported by the Herald,", "As first reported by …"
            src_r = _np_right(st, k + 2)
            return ((k, k, known[0]), src_r) if known is not None and src_r is not None else None
        rest = k + 2 if put_it else k + 1
        if rest < comma and toks[rest].lower not in section("adverbial") and not toks[rest].lower.endswith("ly"):
            return None  # "As he attacked the plan,", "As she said that …,": the clause holds its own object
        end = skip_back(toks, k - 1)
        src_r = _np_left(st, end)
        if src_r is None or src_r[0] != a:
            src_r = _plain_subject(st, a, end)
        if src_r is None:
            return None
        return ((k, k + 1, "put") if put_it else (k, k, known[0])), src_r
    return None


def _plain_subject(st: _Sentence, a: int, b: int) -> tuple[int, int] | None:
    """Tokens a..b as the subject of the `as` clause: a few words, none of them a verb or a boundary."""
    toks = st.tokens
    words = toks[a:b + 1]
    if not 0 < len(words) <= MAX_AS_SUBJECT or any(st.inside[j] for j in range(a, b + 1)):
        return None
    if any(not t.is_word or t.lower in FINITE or t.lower in verb_forms() or t.lower in section("boundary") for t in words):
        return None
    return (a, b)
