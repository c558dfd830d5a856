"""Attribution: for each sentence, who says what, through which cue.

A sentence is read as a *frame* (source words and cue words, outside quotation marks) and a
*content* (what is attributed). The usual English orders are covered:

- `“…,” X said.` / `“…,” said X, the …` / `X said: “…”` / `“…,” X warned, “…”` (one speaker);
- `X, the …, argued that …` / `X told Y that …` / `… , X said.` / `A, X explained, B.`;
- `according to X, …` / `…, according to X.`;
- a transcript line `NAME: …`; a lead-in `X said:` whose content is the next paragraph;
- continuation: a sentence that is only a quotation, right after an attributed quotation,
  takes the same speaker.

Everything here works on tokens and offsets; sources are resolved to people later (`sources.py`).

The stages live in their own modules, each with its thresholds named:
`cue_finding.py` (which words are cues, with `cue_model.py` for cues learned from annotated text),
`source_choice.py` (the words naming the speaker), `content_span.py` (where the content starts and
ends), `frame_reading.py` (the patterns that read one sentence), and here, across sentences, lead-ins,
transcripts and continuations. Shared records and word classes: `attribution_base.py`; whether an
attribution is stated at all depends on its calibrated confidence (`confidence.py`, in `extract.py`).
"""

from __future__ import annotations

import bisect

from pipelines.text.attribution_base import TURN_MIN_WORDS, Attribution, _full_quote_span, _Sentence, _strip
from pipelines.text.cue_finding import forms_class
from pipelines.text.frame_reading import _analyse_sentence, _transcript
from pipelines.text.quotes import Quote
from pipelines.text.segment import Layout
from pipelines.text.tokens import Token

__all__ = ["Attribution", "find_attributions", "forms_class"]


def find_attributions(text: str, layout: Layout, quotes: list[Quote],
                      tokens_by_sentence: dict[int, list[Token]] | None = None) -> list[Attribution]:
    """Attributions of every sentence of the article, in reading order."""
    by_sentence: dict[int, list[tuple[int, Quote]]] = {}
    sent_of = {}
    ends = [s.end for s in layout.sentences]  # sentences are in order: the first one a quote reaches, by bisection
    for i, q in enumerate(quotes):
        if q.depth != 0:
            continue
        for k in range(bisect.bisect_right(ends, q.open_mark), len(ends)):
            s = layout.sentences[k]
            if s.start >= (q.close_mark or q.end) + 1:
                break
            by_sentence.setdefault(s.sentence_no, []).append((i, q))
            sent_of.setdefault(i, s.sentence_no)
    out: list[Attribution] = []
    pending_lead: Attribution | None = None
    last_quote_attr: Attribution | None = None
    last_quote_sentence = -1  # the last sentence whose quotation went to last_quote_attr
    para_of = {s.sentence_no: s.paragraph_no for s in layout.sentences}
    covered_until = -1
    for s in layout.sentences:
        sq = by_sentence.get(s.sentence_no, [])
        st = _Sentence(text, s, sq, tokens_by_sentence.get(s.sentence_no) if tokens_by_sentence else None)
        p = layout.paragraphs[s.paragraph_no]
        att = _transcript(text, st, p.char_end) if s.start == p.char_start else None
        if att is not None:
            out.append(att)
            covered_until = p.char_end
            continue
        if s.end <= covered_until:
            continue  # inside a transcript turn already attributed
        found = _analyse_sentence(text, st)
        att = found[0] if found else None
        if pending_lead is not None:
            lead, pending_lead = pending_lead, None
            if att is None and _quote_only(text, st, sq, lead, para_of):
                # "Mr Valentine agreed. “If I have to save pesos …”": the quotation right after a bare frame is its
                a, b = _full_quote_span(sq)
                out.append(Attribution(s.sentence_no, (a, b), lead.source, lead.cue, lead.cue_lemma, "lead_in",
                                       [i for i, _ in sq], lead.role))
                last_quote_attr, last_quote_sentence = out[-1], s.sentence_no
                continue
            colon = text[layout.sentences[lead.sentence_no].end - 1] == ":"  # a bare frame without one frames no paragraph
            if colon and att is None and para_of[s.sentence_no] == para_of[lead.sentence_no] + 1:
                p = layout.paragraphs[s.paragraph_no]
                a, b = _strip(text, p.char_start, p.char_end, lead=" \n\"“‘'", trail=" \n\"”’'")
                ids = [i for i, q in enumerate(quotes) if a - 1 <= q.start < b and q.depth == 0]
                out.append(Attribution(s.sentence_no, (a, b), lead.source, lead.cue, lead.cue_lemma, "lead_in", ids, lead.role))
                last_quote_attr, last_quote_sentence = out[-1], s.sentence_no
                continue
        if att is not None and att.kind == "lead_in":
            pending_lead = att
            continue
        if att is not None:
            out.extend(found)
            if att.quotes:
                last_quote_attr, last_quote_sentence = att, s.sentence_no
            continue
        # `X said he had suspended him. “He will remain suspended …”`: a quotation right after a
        # reported-speech frame in the same paragraph is that speaker's, whoever was quoted before
        prev = out[-1] if out else None
        if (sq and prev is not None and prev.kind == "reported" and prev.source is not None
                and prev.sentence_no == s.sentence_no - 1 and para_of[prev.sentence_no] == s.paragraph_no
                and not st.words_between(s.start, s.end)):
            a, b = _full_quote_span(sq)
            out.append(Attribution(s.sentence_no, (a, b), prev.source, None, prev.cue_lemma, "continuation",
                                   [i for i, _ in sq], prev.role, continues=prev))
            last_quote_attr, last_quote_sentence = out[-1], s.sentence_no
            continue
        # continuation: a sentence that is only a quotation, after an attributed quotation
        if sq and last_quote_attr is not None and s.sentence_no - last_quote_sentence <= 3 \
                and not _other_quote_between(text, quotes, last_quote_attr, sq[0][0]):
            outside = st.words_between(s.start, s.end)
            if not outside:
                a, b = _full_quote_span(sq)
                if any(a < x.content[1] and x.content[0] < b for x in out[-3:]):
                    continue
                prev = out[-1] if out else None
                if prev is last_quote_attr and para_of[prev.sentence_no] == s.paragraph_no and prev.kind != "transcript":
                    # `“…,” she said. “…”`: the quotation goes on after the frame, same utterance
                    prev.content = (prev.content[0], b)
                    prev.quotes.extend(i for i, _ in sq if i not in prev.quotes)
                    last_quote_sentence = s.sentence_no  # a run of quoted sentences: count from the latest
                    continue
                out.append(Attribution(s.sentence_no, (a, b), last_quote_attr.source, None, last_quote_attr.cue_lemma,
                                       "continuation", [i for i, _ in sq], last_quote_attr.role,
                                       continues=last_quote_attr))
                last_quote_attr, last_quote_sentence = out[-1], s.sentence_no
                continue
        # reported speech running on: the next sentence of the same paragraph weaves in more quoted
        # words of the same speaker ("Islamabad would …, and the “United States in turn target …”")
        prev = out[-1] if out else None
        if (sq and prev is not None and prev.kind != "continuation" and prev.sentence_no == s.sentence_no - 1
                and para_of[prev.sentence_no] == s.paragraph_no and prev.quotes
                and all(len(text[q.start:q.end].split()) >= 4 for _, q in sq)):
            a, b = _strip(text, s.start, s.end, trail=" ,;—–-\n.")
            out.append(Attribution(s.sentence_no, (a, b), prev.source, None, prev.cue_lemma, "continuation",
                                   [i for i, _ in sq], prev.role, continues=prev))
            continue
    return _drop_overlaps(out)


def _quote_only(text: str, st: _Sentence, sq: list, lead: Attribution, para_of: dict[int, int]) -> bool:
    """Is this sentence, right after the bare frame `lead` (`X agreed.`) in its paragraph, a quotation alone?"""
    return bool(sq) and st.s.sentence_no == lead.sentence_no + 1 and para_of[st.s.sentence_no] == para_of[lead.sentence_no] \
        and not st.words_between(st.s.start, st.s.end) and text[st.s.start:st.s.start + 1] in "“\"‘'«"


def _other_quote_between(text: str, quotes: list[Quote], last: Attribution, first_here: int) -> bool:
    """Did someone else speak between `last`'s quotation and this one? In an interview or debate
    (`“…,” X said.` / `“…,” Y shot back. “…”`) a quotation after another speaker's, even one whose
    frame was not read, is not a continuation of the earlier speaker."""
    after = max(last.quotes) if last.quotes else first_here
    return any(quotes[i].depth == 0 and i not in last.quotes
               and len(text[quotes[i].start:quotes[i].end].split()) >= TURN_MIN_WORDS
               for i in range(after + 1, first_here))


def _drop_overlaps(atts: list[Attribution]) -> list[Attribution]:
    """A multi-sentence quotation found from two sentences is one attribution: keep the framed one."""
    out: list[Attribution] = []
    for a in atts:
        clash = next((b for b in out if a.content[0] < b.content[1] and b.content[0] < a.content[1]), None)
        if clash is None:
            out.append(a)
        elif clash.kind == "continuation" and a.kind != "continuation":
            out[out.index(clash)] = a
    return out
