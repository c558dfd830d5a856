"""Claims, quotes, sources, entities, mentions and time expressions for one segmented article.

The order is fixed: quotes, entities, attributions, sources; then every sentence becomes at least
one claim (an attributed one, or the author's own assertion, prediction or evaluation), display
copies inherit the speaker of the body text they repeat, and claims are linked to entities.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re

from pipelines.text import confidence, cue_model
from pipelines.text.attribution import Attribution, find_attributions, forms_class
from pipelines.text.claims import assertion_type, hedges
from pipelines.text.entities import EntityResult, find_entities
from pipelines.text.ids import sentence_id
from pipelines.text.paragraphs import comparable
from pipelines.text.quotes import Quote, find_quotes
from pipelines.text.segment import Layout
from pipelines.text.sources import Source, SourceResolver
from pipelines.text.timex import find_time_expressions
from pipelines.text.tokens import tokenize

SCARE_MAX_WORDS = 3
# A split quotation's frame after its second half: `he warned`, `said the council's chief executive`.
TAIL_FRAME_MAX_WORDS = 5
_WORD = re.compile(r"\w[\w’'\-]*")
# Attributions read in a way that was right less often than this on annotated text are left to the
# author's voice: below about a third, a reading adds more wrong attributions than right ones to the
# F1 balance (cross-validated, docs/QUALITY.md).
MIN_ATTRIBUTION_CONFIDENCE = 0.3


def _sentence_at(layout: Layout, pos: int) -> int:
    """sentence_no of the sentence holding offset `pos` (or the next one)."""
    k = bisect.bisect_right(layout.sentences, pos, key=lambda s: s.end)  # sentences are in order
    return layout.sentences[min(k, len(layout.sentences) - 1)].sentence_no


def _covered(spans: list[tuple[int, int]]):
    """`overlapping(a, b)`: the spans that overlap [a, b). Sorted once, then bisection and a short walk back."""
    spans = sorted(spans)
    opens = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))

    def overlapping(a: int, b: int) -> list[tuple[int, int]]:
        out = []
        k = bisect.bisect_left(opens, b) - 1
        while k >= 0 and reach[k] > a:  # no span before k reaches past a
            if spans[k][1] > a:
                out.append(spans[k])
            k -= 1
        return out

    return overlapping


def _uncovered(text: str, start: int, end: int, inside: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The part of sentence [start, end) that is the author's own, given the attributed spans overlapping it.

    A sentence that an attributed claim runs into (the second half of `“…,” X said, “…”`, or a
    quotation going on past a sentence break) keeps only the words outside that claim. When those
    are no more than a short frame (`he warned.`), the sentence has nothing of the author's."""
    if not inside:
        return start, end
    pieces, pos = [], start
    for a, b in sorted(inside):
        if a > pos:
            pieces.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    words = [w for a, b in pieces for w in _WORD.findall(text, a, b)]
    if len(words) <= TAIL_FRAME_MAX_WORDS:
        return None
    a, b = max(pieces, key=lambda p: len(_WORD.findall(text, *p)))
    a += len(text[a:b]) - len(text[a:b].lstrip(" ,;:”\"’'—–-\n"))
    return (a, b) if b > a else None


def _claim_type(att: Attribution, text: str, quotes: list[Quote]) -> str:
    """direct_quote when the content is quotation (frame words aside), partial_quote when quoted words
    are woven into the author's sentence, reported_speech without quotation marks."""
    if not att.quotes:
        return "reported_speech"
    a, b = att.content
    if att.kind in ("quote", "continuation", "transcript"):
        first = min(quotes[i].open_mark for i in att.quotes)
        lead = text[a:first].split()
        if len(lead) <= 1 or att.kind == "transcript":
            return "direct_quote"
    return "partial_quote"


def extract(article_id: str, text: str, layout: Layout, published_on: dt.date | None) -> dict[str, list[dict]]:
    """Rows for the extraction tables of one article."""
    if not layout.sentences:
        return {}
    quotes = find_quotes(text, layout.paragraph_spans())
    tokens = {s.sentence_no: tokenize(text, s.start, s.end) for s in layout.sentences}
    ents = find_entities(text, layout, tokens)
    display = {s.sentence_no for s in layout.sentences if s.is_display}
    scored = [(a, _features(text, a, layout, tokens)) for a in find_attributions(text, layout, quotes, tokens)
              if a.sentence_no not in display]
    scored = [(a, feats, confidence.estimate(feats)) for a, feats in scored]
    attributions = [a for a, _, trust in scored if _trusted(a, trust)]
    reading_of = {id(a): (feats, trust) for a, feats, trust in scored}
    resolver = SourceResolver(article_id, text, ents, [(s.start, s.end) for s in layout.sentences],
                              [(q.open_mark, (q.close_mark if q.close_mark is not None else q.end) + 1)
                               for q in quotes if q.depth == 0])
    att_sources: list[Source] = []
    by_attribution: dict[int, Source] = {}
    for att in attributions:
        if att.continues is not None and id(att.continues) in by_attribution:
            src = by_attribution[id(att.continues)]
        else:
            src = resolver.resolve(att.source, att.role, forms_class(att.cue_lemma) if att.cue_lemma else "speech")
        by_attribution[id(att)] = src
        att_sources.append(src)
    # source words that cannot speak (a thing, a time): the sentence stays the author's
    attributions, att_sources = _speaking(attributions, att_sources)

    claims: list[dict] = []
    quote_claim: dict[int, tuple[str, Source | None, str | None, str]] = {}
    covered: list[tuple[int, int]] = []
    for att, src in zip(attributions, att_sources, strict=True):
        a, b = att.content
        ctype = _claim_type(att, text, quotes)
        sno = _sentence_at(layout, a)
        cid = f"{article_id}:c{a}-{b}"
        claims.append(_claim_row(article_id, cid, sno, text, a, b, att.source, att.cue, ctype, src.source_id,
                                 att.cue_lemma, False, reading_of[id(att)]))
        covered.append((a, b))
        kind = "continuation" if att.kind == "continuation" else "explicit"
        for i in att.quotes:
            quote_claim[i] = (cid, src, att.cue_lemma, kind)

    # every other non-display sentence is the author's own claim
    author = (None, confidence.estimate(None))
    # (sets and a sorted sweep, not a scan of every claim per sentence: linear in long articles)
    attributed = {c["sentence_id"] for c in claims if c["source_id"]}
    claim_ids = {c["claim_id"] for c in claims}
    overlapping = _covered(covered)
    for s in layout.sentences:
        if s.sentence_no in display or sentence_id(article_id, s.sentence_no) in attributed:
            continue
        own = _uncovered(text, s.start, s.end, overlapping(s.start, s.end))
        if own is None:
            continue  # wholly attributed, or only the tail of a split quotation and its frame
        a, b = own
        cid = f"{article_id}:c{a}-{b}"
        if cid in claim_ids:
            continue
        claim_ids.add(cid)
        claims.append(_claim_row(article_id, cid, s.sentence_no, text, a, b, None, None,
                                 assertion_type(text[a:b]), None, None, False, author))

    # display sentences: kept, flagged, and given the speaker of the body text they copy
    display_rows = _display_claims(article_id, text, layout, claims, author)
    claims.extend(display_rows)

    quote_rows = _quote_rows(article_id, text, layout, quotes, quote_claim, claims)
    sources = resolver.sources
    n_quotes = {sid: 0 for sid in sources}
    n_claims = {sid: 0 for sid in sources}
    for q in quote_rows:
        if q["source_id"] in n_quotes and q["attribution"] != "inferred":
            n_quotes[q["source_id"]] += 1
    for c in claims:
        if c["source_id"] in n_claims and not c["is_display"]:
            n_claims[c["source_id"]] += 1
    source_rows = [
        {"source_id": s.source_id, "article_id": article_id,
         "entity_id": ents.entities[s.entity_index].entity_id if s.entity_index is not None else None,
         "name": s.name, "source_type": s.source_type, "role": s.role,
         "n_quotes": n_quotes[s.source_id], "n_claims": n_claims[s.source_id]}
        for s in sources.values()
    ]
    mention_rows, entity_rows = _entity_rows(article_id, text, layout, ents, sources)
    return {
        "claims": claims,
        "quotes": quote_rows,
        "sources": source_rows,
        "entities": entity_rows,
        "mentions": mention_rows,
        "time_expressions": _time_rows(article_id, text, layout, published_on),
        "claim_entities": _claim_entity_rows(claims, sources, ents, mention_rows),
    }


def _speaking(attributions: list[Attribution], sources: list[Source | None]):
    kept = [(a, s) for a, s in zip(attributions, sources, strict=True) if s is not None]
    return [a for a, _ in kept], [s for _, s in kept]


def _trusted(att: Attribution, trust: float | None) -> bool:
    """Is the attribution likely enough to be right to be stated (see MIN_ATTRIBUTION_CONFIDENCE)?

    A continuation (a quotation running on after its framed start, or the paragraph of quotation after
    a frame) is always kept: newspaper convention gives it the framed speaker. The annotated corpus often
    leaves such quotations without a source or marks it elsewhere, so their measured rate (0.26-0.40) says
    little about the speaker; keeping them costs nothing in cross-validated F1 (0.648 either way) and
    keeps the speakers of British-style quotation paragraphs (docs/QUALITY.md)."""
    if att.kind == "continuation":
        return True
    return trust is None or trust >= MIN_ATTRIBUTION_CONFIDENCE


def _features(text: str, att: Attribution, layout: Layout, tokens: dict[int, list]) -> tuple[str, ...]:
    """The attribution's features, from which its confidence is estimated (`confidence.py`)."""
    form = text[att.cue[0]:att.cue[1]].lower() if att.cue else None
    words = text[att.source[0]:att.source[1]] if att.source else None
    key = confidence.reading(att.kind, att.cue_lemma, form, words, bool(att.quotes))
    a, b = att.content
    first = a < layout.paragraphs[0].char_end
    feats = confidence.features(key, form, words, text[a:b], None if att.cue is None else att.cue[0] >= b, first)
    if "|learned|" not in key:
        return feats
    return (*feats, confidence.cue_class(_cue_probability(att, tokens.get(att.sentence_no, []))))


def _cue_probability(att: Attribution, toks: list) -> float:
    """What the cue model says of a learned cue's word in its sentence (0 when the word is not found there)."""
    k = bisect.bisect_left(toks, att.cue[0], key=lambda t: t.start)
    if k == len(toks) or toks[k].start != att.cue[0]:
        return 0.0
    return cue_model.probability(toks, k, bool(att.quotes))


def _claim_row(article_id, cid, sno, text, a, b, source, cue, ctype, source_id, cue_lemma, is_display,
               reading: tuple[tuple[str, ...] | None, float | None]) -> dict:
    """A claims row; `reading`: the attribution's features (None for the author's voice) and confidence."""
    body = text[a:b]
    found = hedges(body)
    return {"_features": reading[0], "confidence": reading[1],
        "claim_id": cid, "article_id": article_id, "sentence_id": sentence_id(article_id, sno), "char_start": a,
        "char_end": b, "text": body,
        "source_start": source[0] if source else None, "source_end": source[1] if source else None,
        "cue_start": cue[0] if cue else None, "cue_end": cue[1] if cue else None,
        "claim_type": ctype, "source_id": source_id, "cue": cue_lemma,
        "hedged": bool(found), "hedge_cues": found, "is_display": is_display,
    }


def _display_claims(article_id: str, text: str, layout: Layout, claims: list[dict], author: tuple) -> list[dict]:
    rows = []
    attributed = [(comparable(c["text"]), c) for c in claims if c["source_id"]]
    for s in layout.sentences:
        if not s.is_display:
            continue
        body = text[s.start:s.end]
        key = comparable(body)
        # the body claim this display copy repeats (or that repeats part of it) lends its speaker
        src_claim = next((c for ck, c in attributed if key and ck and (key in ck or ck in key)), None)
        cid = f"{article_id}:c{s.start}-{s.end}"
        rows.append(_claim_row(article_id, cid, s.sentence_no, text, s.start, s.end, None, None,
                               src_claim["claim_type"] if src_claim else assertion_type(body),
                               src_claim["source_id"] if src_claim else None,
                               src_claim["cue"] if src_claim else None, True,
                               (src_claim["_features"], src_claim["confidence"]) if src_claim else author))
    return rows


def _quote_rows(article_id, text, layout, quotes: list[Quote], quote_claim, claims: list[dict]) -> list[dict]:
    rows = []
    claim_types = {c["claim_id"]: c["claim_type"] for c in claims}
    trust = {c["claim_id"]: c["confidence"] for c in claims}
    claim_by_span = sorted(((c["char_start"], c["char_end"], c) for c in claims), key=lambda x: (x[0], x[1]))
    for i, q in enumerate(quotes):
        sno = _sentence_at(layout, q.start)
        s = layout.sentences[sno]
        n_words = len(text[q.start:q.end].split())
        if i in quote_claim:
            cid, src, cue, attribution = quote_claim[i]
            claim_type = claim_types[cid]
            qtype = "direct" if claim_type == "direct_quote" else "partial"
            rows.append(_quote_row(article_id, sno, cid, text, q, qtype, src.source_id, cue, attribution, trust=trust))
            continue
        holder = next((c for a, b, c in claim_by_span if a <= q.start and q.end <= b), None)
        if s.is_display and holder is not None and holder["source_id"]:
            rows.append(_quote_row(article_id, sno, holder["claim_id"], text, q, "direct", holder["source_id"], holder["cue"], "inferred", trust=trust))
            continue
        if n_words <= SCARE_MAX_WORDS and q.depth == 0 and not (holder and holder["source_id"]):
            rows.append(_quote_row(article_id, sno, None, text, q, "scare", None, None, "none", trust=trust))
            continue
        # a quotation inside an attributed claim (nested, or a fragment of reported speech)
        if holder is not None and holder["source_id"]:
            rows.append(_quote_row(article_id, sno, holder["claim_id"], text, q, "partial", holder["source_id"], holder["cue"], "explicit", trust=trust))
            continue
        rows.append(_quote_row(article_id, sno, holder["claim_id"] if holder else None, text, q,
                               "partial" if n_words <= 12 else "direct", None, None, "none", trust=trust))
    return rows


def _quote_row(article_id, sno, cid, text, q: Quote, qtype, source_id, cue, attribution, trust=None) -> dict:
    return {"confidence": trust.get(cid) if source_id and trust else confidence.estimate(None),
            "quote_id": f"{article_id}:q{q.start}-{q.end}", "article_id": article_id, "sentence_id": sentence_id(article_id, sno),
            "claim_id": cid, "char_start": q.start, "char_end": q.end, "text": text[q.start:q.end], "quote_type": qtype,
            "source_id": source_id, "cue": cue, "attribution": attribution, "unclosed": q.unclosed}


def _entity_rows(article_id, text, layout, ents: EntityResult, sources: dict[str, Source]):
    speaking = {s.entity_index for s in sources.values() if s.entity_index is not None}
    # one capitalised word with no sign of what it names ("Elect", "Northern") is too often a stray capital
    unsure = {k for k, e in enumerate(ents.entities) if e.entity_type == "other" and not e.evidenced and k not in speaking}
    kept = [m for m in ents.mentions if m.entity not in unsure]
    used = {m.entity for m in kept} | speaking
    entity_rows = list({e.entity_id: {"entity_id": e.entity_id, "canonical_name": e.name, "entity_type": e.entity_type,
                                      "acronym": e.acronym}
                        for k, e in reversed(list(enumerate(ents.entities))) if k in used}.values())[::-1]
    mention_rows = [
        {"mention_id": f"{article_id}:m{m.start}-{m.end}", "article_id": article_id,
         "sentence_id": sentence_id(article_id, m.sentence_no), "entity_id": ents.entities[m.entity].entity_id,
         "char_start": m.start, "char_end": m.end, "surface": text[m.start:m.end], "mention_type": m.mention_type}
        for m in kept
    ]
    return mention_rows, entity_rows


def _time_rows(article_id, text, layout, published_on):
    rows = []
    for t in find_time_expressions(text, published_on):
        rows.append({"article_id": article_id, "sentence_id": sentence_id(article_id, _sentence_at(layout, t.start)),
                     "char_start": t.start, "char_end": t.end, "surface": text[t.start:t.end], "kind": t.kind,
                     "year": t.year, "month": t.month, "anchor": t.anchor, "resolved_start": t.resolved_start,
                     "resolved_end": t.resolved_end, "granularity": t.granularity,
                     "unresolved_reason": t.unresolved_reason})
    return rows


def _claim_entity_rows(claims, sources: dict[str, Source], ents: EntityResult, mention_rows) -> list[dict]:
    rows, seen = [], set()
    by_source = {sid: ents.entities[s.entity_index].entity_id for sid, s in sources.items() if s.entity_index is not None}
    starts = sorted((m["char_start"], m["char_end"], m["entity_id"]) for m in mention_rows)
    for c in claims:
        if c["source_id"] in by_source:
            key = (c["claim_id"], by_source[c["source_id"]], "source")
            if key not in seen:
                seen.add(key)
                rows.append({"claim_id": key[0], "entity_id": key[1], "role": key[2]})
        for j in range(bisect.bisect_left(starts, (c["char_start"],)), len(starts)):  # (islice would step over the rest)
            a, b, eid = starts[j]
            if a >= c["char_end"]:
                break
            if a >= c["char_start"] and b <= c["char_end"]:
                key = (c["claim_id"], eid, "mentioned")
                if key not in seen:
                    seen.add(key)
                    rows.append({"claim_id": key[0], "entity_id": key[1], "role": key[2]})
    return rows
