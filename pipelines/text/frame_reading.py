"""Attribution per sentence: the patterns that read one sentence as frames (cue, source, content), in the
order they are tried: a dash credit, an impersonal passive, each cue with its source and content, then
added clauses of the same or a new speaker, and verbs outside the lexicon right after a quotation.
"""

from __future__ import annotations

from pipelines.text import lexicon
from pipelines.text.added_frames import _added_clauses, _opening_participle_frame, _quote_in
from pipelines.text.as_clause import as_clause_frame
from pipelines.text.attribution_base import (
    _DASH_CREDIT,
    _IMPERSONAL,
    _TRANSCRIPT,
    AUTHOR_VOICE,
    CALENDAR_WORDS,
    COORDINATORS,
    COPULAS,
    FINITE,
    PRONOUNS,
    RELATIVE_SUBJECTS,
    Attribution,
    _full_quote_span,
    _next_word,
    _Sentence,
    _span,
    _strip,
    before_verb_group,
    skip_back,
)
from pipelines.text.clause_subjects import MAX_BARE_SUBJECT, _bare_subject, _clause_subject, _purpose_subject
from pipelines.text.content_ends import RESTRICTIVE, SUBORDINATE, clause_end
from pipelines.text.content_span import (
    MIN_LEAD_WORDS,
    WH_WORDS,
    _after_adverbial,
    _content,
    _infinitive_follows,
    _opens_clause,
)
from pipelines.text.cue_finding import (
    AGENT_PASSIVE,
    QUESTIONER_PASSIVE,
    _find_cues,
    _lemma,
    document_participle,
    forms_class,
    prepositional_participle,
    question_after,
    with_absolute,
)
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.source_choice import (
    MAX_APPOSITION_PIECE,
    MAX_NP,
    _apposition,
    _discourse_opener,
    _is_separator,
    _np_left,
    _np_right,
    _speaker_noun,
    _subject_nouns,
    relative_subject,
)
from pipelines.text.survey_clause import survey_clause_frame

# Most words after a closing frame (`…, Welch said on Tuesday in Concord.`).
MAX_TRAILING_WORDS = 5
# A quotation this short after a learned cue is a label (`dubbed “blip-pop”`), not a report.
MAX_LABEL_WORDS = 3


def _transcript(text: str, st: _Sentence, paragraph_end: int) -> Attribution | None:
    """`WALLACE: Let’s start …` at the start of a paragraph: the speaker is the capitalised label."""
    s = st.s
    m = _TRANSCRIPT.match(text, s.start)
    if not m or len(m.group(1).strip(" .")) < 2:
        return None
    a, b = _strip(text, m.end(), paragraph_end, trail=" \n\"”")
    if b <= a:
        return None
    return Attribution(s.sentence_no, (a, b), (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1), "say", "transcript",
                       [i for i, _ in st.quotes])


def _dash_credit(text: str, st: _Sentence) -> Attribution | None:
    """`“…” ― Krystal Correa, 24`: a quotation credited after a dash."""
    s = st.s
    m = _DASH_CREDIT.search(text, s.start, s.end)
    if not m or not st.quotes:
        return None
    quotes = [(i, q) for i, q in st.quotes if q.end <= m.start(1)]
    if not quotes:
        return None
    a, b = _full_quote_span(quotes)
    return Attribution(s.sentence_no, (a, b), (m.start(2), m.end(2)), (m.start(1), m.end(1)), "say", "quote",
                       [i for i, _ in quotes])


def _analyse_sentence(text: str, st: _Sentence) -> list[Attribution] | None:
    s = st.s
    credit = _dash_credit(text, st)
    if credit is not None:
        return [credit]
    m = _IMPERSONAL.search(text, s.start, s.end)
    if m and not any(q.open_mark <= m.start() < (q.close_mark or q.end) for _, q in st.quotes):
        # "it is believed that …": an attribution to unnamed sources, with no source words
        content = _strip(text, m.end(), s.end, trail=" ,;—–-\n")
        if content[1] - content[0] > 3:
            lemma = verb_forms().get(m.group(1).lower(), (m.group(1).lower(), ""))[0]
            return [Attribution(s.sentence_no, content, None, (m.start(1), m.end(1)), lemma, "reported",
                                [i for i, q in st.quotes if content[0] <= q.start < content[1]])]
    cues = _find_cues(st)
    framed = as_clause_frame(text, st) or survey_clause_frame(text, st)
    if framed is not None:  # "As X noted, …", "In a poll released Monday, …": the main clause is reported
        inner = [c for c in cues if st.tokens[c[0]].start >= framed.content[0]]
        return [framed, *(_frames_from(text, st, inner) or [])]
    found = _frames_from(text, st, cues)
    if found:
        opening = _opening_participle_frame(text, st)
        found = _trailing_frame(text, st, cues, found) or found + _later_frames(text, st, cues, found)
        found = found + _earlier_frames(text, st, cues, found + ([opening] if opening is not None else []))
        return found + [opening] if opening is not None else found
    framed = _unlisted_verb_frame(text, st)
    return [framed] if framed else None


# Most words the source of `according to` may have when it runs up to the next comma
# (`according to their friends and advisers, …`).
MAX_ACCORDING_WORDS = 10
# An opening phrase this short before an inserted `according to X,` (`In addition,`) is not reported.
MAX_OPENER_WORDS = 3


def _according_source(st: _Sentence, k: int) -> tuple[int, int] | None:
    """The words after `according to` up to the comma or the sentence's end, when no name or known noun
    heads them (`according to federal statistics.`)."""
    toks = st.tokens
    end = k
    while end < len(toks) and toks[end].text not in ",;" and not st.inside[end] and end - k < MAX_ACCORDING_WORDS:
        end += 1
    closes = end >= len(toks) or toks[end].text in ",;" or all(not t.is_word for t in toks[end:])
    if not closes or end == k:
        return None
    last = end - 1
    while last > k and not toks[last].is_word:
        last -= 1
    return (k, last) if toks[last].is_word else None


def _trailing_frame(text: str, st: _Sentence, cues: list[tuple[int, int, str, str]], found: list[Attribution]
                    ) -> list[Attribution] | None:
    """`The congressman plans to vote for X, Welch said.`, `Records show X, according to the FEC.`: a lexicon
    frame closing the sentence after a comma reports everything before it; the frames found there are
    nested inside it and end where it begins."""
    first = found[0]
    if first.cue is None:
        return None
    for c in reversed(cues):
        if st.tokens[c[0]].start <= first.cue[1]:
            return None
        if c[3] != "according" and c[3] not in verb_forms():
            continue
        got = _frames_from(text, st, [c])
        if not got or got[0].source is None:
            return None
        outer = got[0]
        start = min(outer.source[0], outer.cue[0])
        rest = st.words_between(max(outer.source[1], outer.cue[1]), st.s.end)
        if (len(rest) > MAX_TRAILING_WORDS and not _adverbial_tail(rest)) \
                or text[outer.source[0]:outer.source[1]].lower() in RELATIVE_SUBJECTS | {"that"}:
            return None  # "…,” said X, who said he would …": a relative clause, not a closing frame
        if not (outer.content[1] <= start and outer.content[0] <= first.cue[0]
                and text[outer.content[1]:start].strip(" \n”\"’'") == ","):
            return None
        inner = []
        for a in found:
            if a.content[0] < outer.content[1]:
                a.content = _strip(text, a.content[0], min(a.content[1], outer.content[1]), trail=" ,;—–-\n")
                a.quotes[:] = [i for i in a.quotes if _quote_in(st, i, a.content)]
                inner.append(a)
        return [outer, *inner]
    return None


# Most words of a time or place phrase after a closing frame (`…, Clinton said this week at an event in Iowa.`).
MAX_ADVERBIAL_TAIL = 12


def _adverbial_tail(rest: list) -> bool:
    """Are the words after a closing frame a time or place phrase, with no verb (`this week at an event in Iowa`)?"""
    return len(rest) <= MAX_ADVERBIAL_TAIL and (rest[0].lower in section("adverbial") or rest[0].lower in CALENDAR_WORDS) \
        and not any(t.lower in verb_forms() or t.lower in FINITE or t.lower in RELATIVE_SUBJECTS for t in rest)


def _later_frames(text: str, st: _Sentence, cues: list[tuple[int, int, str, str]], found: list[Attribution]
                  ) -> list[Attribution]:
    """`While X claimed that A, experts affirm that B`: when the frames found end before the sentence
    does, a cue after them may frame the rest."""
    end = max(max(a.content[1], a.cue[1] if a.cue else 0, a.source[1] if a.source else 0) for a in found)
    later = [c for c in cues if st.tokens[c[0]].start >= end]
    if not later or len(st.words_between(end, st.s.end)) < MIN_LEAD_WORDS:
        return []
    more = _frames_from(text, st, later) or []
    return [a for a in more if a.content[0] >= end]


# Words that leave a content open (a clause or object follows): a content cut before them is no content.
_OPEN_ENDS = COORDINATORS | WH_WORDS | frozenset({"that", "by", "to", "of", "about", "on", "for", "with", "as", "while",
                                                  "after", "before", "because", "although", "though", "since", "until"})


def _earlier_frames(text: str, st: _Sentence, cues: list[tuple[int, int, str, str]], found: list[Attribution]
                    ) -> list[Attribution]:
    """`Kaine decried that math, saying …`, `X repeatedly invoked Y and suggested that …`: lexicon cues are read
    before learned ones, so a learned cue before the frames found was passed over; it frames what lies before
    them (its content ends where theirs, their cue or a speaker after it begins)."""
    begin = min(min(a.content[0], a.cue[0]) if a.cue else a.content[0] for a in found)
    forms = verb_forms()
    for c in cues:
        if st.tokens[c[1]].end > begin or c[3] in forms or c[3] in {"according", AGENT_PASSIVE, QUESTIONER_PASSIVE}:
            continue
        got = _frames_from(text, st, [c])
        if not got or got[0].cue is None or got[0].content[0] >= begin:
            continue
        a = got[0]
        limit = min([begin] + [b.source[0] for b in found if b.source and b.source[0] > a.cue[1]])
        kept = text[a.content[0]:min(a.content[1], limit)].rstrip(" ,;:—–-\n").split()
        if not kept or kept[-1].lower() in _OPEN_ENDS:
            continue  # "He made the criticism while …", "railed against what …": the later frame is inside its content
        last = kept[-1].lower()
        if a.content[1] >= limit and (last in lexicon.words("document_nouns") or last[:-1] in lexicon.words("document_nouns")):
            continue  # "The council released a statement saying …": the document's report is the participle's
        if a.content[1] > limit:
            a.content = _strip(text, a.content[0], limit, trail=" ,;:—–-\n")
            a.quotes[:] = [i for i in a.quotes if _quote_in(st, i, a.content)]
        if a.content[1] - a.content[0] < 3:
            continue
        return [a]
    return []


# Most words of a quoted title closing an apposition (`host of MSNBC’s “Morning Joe,”`).
MAX_TITLE_WORDS = 6


def _titled_apposition(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`Joe Hale, host of BBC Radio’s “Morning Show,” said`, `X, author of “Going Under,” told`: an apposition
    ending in a short quoted title whose comma sits inside the closing mark (token k); the name before it speaks."""
    toks = st.tokens
    if toks[k].text not in "”\"" or toks[k - 1].text != ",":
        return None
    q = next((q for _, q in st.quotes if q.close_mark == toks[k].start), None)
    if q is None or len(st.text[q.start:q.end].split()) > MAX_TITLE_WORDS or not st.text[q.start:q.start + 1].isupper():
        return None
    o = next((j for j in range(k - 1, -1, -1) if toks[j].start == q.open_mark), None)
    if o is None or o < 3:
        return None
    for j in range(o - 1, max(0, o - 1 - MAX_APPOSITION_PIECE), -1):
        t = toks[j]
        if t.text == "," and not st.inside[j]:
            first = toks[j + 1]
            if j + 1 >= o or not (first.text[0].islower() or first.lower in section("determiners")):
                return None  # the piece after the name is a role (`host of`, `the author of`), not a clause
            name = _np_left(st, j - 1)
            return name if name is not None and toks[name[1]].is_capitalised else None
        if st.inside[j] or not (t.is_word or t.text in "-’'"):
            return None
    return None


# Most words of a noun phrase between a cue and the `to` of its infinitive (`expect the central bank to`).
MAX_OBJECT_WORDS = 4


def _noun_object_to(st: _Sentence, k: int) -> bool:
    """`Economists expect the central bank to raise rates`, `urged Congress to act`: a short noun phrase from token k
    (a determiner or a name first) followed by `to` and a base form: the reported object and its infinitive."""
    toks = st.tokens
    if k >= len(toks) or not (toks[k].lower in section("determiners") or toks[k].is_capitalised) or st.inside[k]:
        return False
    for j in range(k + 1, min(len(toks) - 1, k + MAX_OBJECT_WORDS + 1)):
        t = toks[j]
        if t.lower == "to":
            nxt = toks[j + 1]
            return nxt.is_word and nxt.text[0].islower() and nxt.lower not in section("determiners") \
                and not nxt.lower.endswith(("ed", "ing"))
        if st.inside[j] or not t.is_word or t.lower in FINITE or t.lower in section("boundary"):
            return False
    return False


def _quantity_apposition(st: _Sentence, comma: int) -> tuple[int, int] | None:
    """`About half, 52 percent, say …`, `Among likely voters, just over a quarter, 26 percent, say …`: a quantity
    with its percentage in apposition before the cue (the comma at token `comma`); both, as the speaker."""
    toks = st.tokens
    j = comma - 1
    if j >= 2 and toks[j].lower == "cent" and toks[j - 1].lower == "per":
        j -= 1  # "61 per cent"
    elif j < 1 or toks[j].lower not in {"%", "percent"}:
        return None
    j -= 1
    if j < 1 or not toks[j].text[0].isdigit() or toks[j - 1].text != "," or st.inside[j - 1]:
        return None
    end = j - 2  # the quantity before the percentage's comma
    start = end
    while start > 0 and toks[start - 1].text != "," and end - start < MAX_BARE_SUBJECT:
        start -= 1
    if start > 0 and toks[start - 1].text != ",":
        return None
    bare = _bare_subject(st, end, start=start)
    return (bare[0], comma - 1) if bare is not None else None


def _bare_frame(text: str, st: _Sentence, frame: tuple[int, int]) -> bool:
    """Is the sentence its frame alone, closed by a full stop (`Mr Valentine, who grew up there, agreed.`)?"""
    s = st.s
    return text[s.end - 1:s.end] == "." and not st.words_between(frame[1], s.end) and not st.quotes \
        and not [w for w in st.words_between(s.start, frame[0]) if w.lower not in section("discourse_openers")]


def _named_after(st: _Sentence, src_r: tuple[int, int]) -> tuple[int, int]:
    """An inverted description followed by the speaker's name in apposition (`said one of their lawyers,
    Michalis Dimitrakopoulos.`, `said the club's coach, Jo Hale, after …`): the description and the name;
    else the description alone."""
    toks = st.tokens
    j = src_r[1] + 1
    if j >= len(toks) or toks[j].text != "," or st.inside[j]:
        return src_r
    end = j + 1
    while end < len(toks) and toks[end].is_capitalised and not st.inside[end]:
        end += 1
    closes = end >= len(toks) or toks[end].text == "," or all(not t.is_word for t in toks[end:])
    return (src_r[0], end - 1) if closes and end > j + 1 and _np_left(st, end - 1) is not None else src_r


# Most lower-case words a name separated from its verb by a stray comma may have (`Chairman of the X`).
MAX_STRAY_LOWER = 2


def _stray_comma_subject(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`Peter Ainsworth MP, said: …`, `Gov. John Kasich (R-OH), said`: a name (with its title or party tag)
    opening the sentence, cut from its verb by a comma (token k) with no apposition; its tokens, or None."""
    toks = st.tokens
    j = skip_back(toks, k - 1)
    if j < 0 or not toks[j].is_capitalised:
        return None
    a = 0
    while a < j and _discourse_opener(toks[a]):
        a += 1
    piece = toks[a:j + 1]
    if j - a >= MAX_NP or any(st.inside[i] or not toks[i].is_word for i in range(a, j + 1)):
        return None
    lower = [t for t in piece if not t.is_capitalised]
    if len(lower) > MAX_STRAY_LOWER or piece[0].lower in section("boundary") or piece[0].lower in section("adverbial") \
            or any(t.lower in verb_forms() for t in lower):
        return None  # "In Washington, said …", "The plan was rejected, said …": not a name
    return (a, j)


def _label_quote(text: str, st: _Sentence, content: tuple[int, int]) -> bool:
    """Is the content a short quoted label (at most MAX_LABEL_WORDS words inside the marks) and nothing more?"""
    inner = [q for _, q in st.quotes if content[0] <= q.end and q.start <= content[1]]
    if len(inner) != 1:
        return False
    q = inner[0]
    outside = text[content[0]:q.open_mark] + text[(q.close_mark if q.close_mark is not None else q.end) + 1:content[1]]
    return len(text[q.start:q.end].split()) <= MAX_LABEL_WORDS and not outside.strip(" .,;:!?“”\"'‘’")


def _clause_after_adverbial(st: _Sentence, k: int) -> bool:
    """`revealed on Wednesday that …`, `found last week the plan had failed`: a time or place adverbial
    (token k opens it) followed by a reported clause."""
    return k < len(st.tokens) and st.tokens[k].lower in section("adverbial") and _after_adverbial(st, k) is not None


def _past_addressee(st: _Sentence, src_r: tuple[int, int] | None) -> tuple[int, int] | None:
    """`Another source speaking to Fox News said`, `officials who spoke with the paper said`: the phrase
    right before the cue is whom the speaker talked to; the speaker comes before it."""
    toks = st.tokens
    if src_r is None:
        return None
    a = src_r[0] - 1 if src_r[0] > 0 and toks[src_r[0] - 1].lower in {"the", "a", "an"} else src_r[0]  # "with The Post"
    if a < 3 or toks[a - 1].lower not in {"to", "with"}:
        return src_r
    verb = toks[a - 2]
    if not (verb.lower.endswith("ing") or verb.lower in {"spoke", "talked"}) or st.inside[a - 2]:
        return src_r
    k = a - 3
    if toks[k].lower in {"who", "that"}:
        k -= 1
    return _np_left(st, k) or src_r


def _coordinated_verb(st: _Sentence, first: int, form: str) -> bool:
    """`… and said`, `… but said`, `…, and then told`: a finite cue sharing the subject of the clause before."""
    toks = st.tokens
    base = verb_forms().get(form, ("",))[0] == form
    j, aux = before_verb_group(toks, first, base)  # "and then said", "but later told", "and has said", "but did not say"
    then = toks[j].text == "," and toks[j + 1].lower == "then"  # "Clinton paused, then revealed …"
    return j >= 0 and (toks[j].lower in COORDINATORS or then) \
        and (form.endswith(("ed", "said", "told", "says", "wrote")) or (aux and base))


def _opens_subject_clause(st: _Sentence, src_r: tuple[int, int]) -> bool:
    """Is the phrase right after an inverted cue the subject of the reported clause (`said she regretted`,
    `said the campaign is`), not the speaker (`“…,” said he.`, `said the minister on Tuesday`)?"""
    toks = st.tokens
    a, b = src_r
    if b + 1 >= len(toks) or not toks[b + 1].is_word or st.inside[b + 1]:
        return False
    nxt = toks[b + 1]
    if a == b and toks[a].lower in PRONOUNS:
        return True
    return nxt.lower in FINITE or (nxt.text[0].islower() and nxt.lower.endswith("ed"))  # "said the campaign is …"


def _frames_from(text: str, st: _Sentence, cues: list[tuple[int, int, str, str]]) -> list[Attribution] | None:
    """The frame of the first cue that reads as one (with the clauses it adds), or None."""
    s = st.s
    toks = st.tokens
    for first, last, lemma, form in cues:
        cue_span = (toks[first].start, toks[last].end)
        if form == "according":
            r = _np_right(st, last + 1)
            whole = _according_source(st, last + 1)
            if whole is not None and (r is None or whole[1] > r[1]):
                r = whole  # "according to the Iraqi activist group Mosul Eye, …": the phrase up to the comma
            if r is None:
                continue
            src = _span(toks, r)
            before = st.words_between(s.start, cue_span[0])
            after = st.words_between(src[1], s.end)
            inserted = len(after) >= MIN_LEAD_WORDS and text[src[1]:after[0].start].strip() == ","
            if len(before) <= 1 or (inserted and len(before) <= MAX_OPENER_WORDS):
                # "According to X, …", "In addition, according to X, …": what follows is reported
                content = _strip(text, src[1], s.end, trail=" ,:;—–-\n.")
            elif inserted:  # "The firm, according to its accounts, lost money": the whole sentence
                content = _strip(text, s.start, s.end, trail=" ,:;—–-\n.")
            else:
                content = _strip(text, s.start, cue_span[0], trail=" ,:;—–-\n")
            if content[1] - content[0] < 3:
                continue
            return [Attribution(s.sentence_no, content, src, cue_span, "according to", "according",
                                [i for i, q in st.quotes if content[0] <= q.start < content[1]])]
        if form == QUESTIONER_PASSIVE:
            asked = _questioner_frame(text, st, first, last, lemma)
            if asked is None:
                continue
            return [asked]
        if form == AGENT_PASSIVE:
            passive = _agent_passive_frame(text, st, first, last, lemma)
            if passive is None:
                continue
            return [passive]
        role = None
        role_start = None
        k = skip_back(toks, first - 1)
        participle = form.endswith("ing") and first > 0 and (toks[first - 1].text == "," or prepositional_participle(toks, first))
        src_r = None
        inverted = False
        coordinated = _coordinated_verb(st, first, form)
        purpose = first > 0 and toks[first - 1].lower == "to"  # "X went on air to warn …": X warns
        if purpose and _next_word(st, last) in {"about", "of", "so", "for"}:
            continue  # "more to say about it": no reported clause
        absolute = with_absolute(st, first) if form.endswith("ing") else None
        if absolute is not None:
            src_r = absolute  # "…, with polls showing …": the phrase after `with` is the subject
        elif purpose:
            src_r = _purpose_subject(st, first - 1)
        elif participle or coordinated:
            src_r = _clause_subject(st, first)
        elif k >= 0 and (toks[k].text == "," or _is_separator(toks, k, "—")) and not st.inside[k]:
            app = _apposition(st, k)
            if app is not None:
                src_r, role_r = app
                if role_r != src_r:
                    role = text[toks[role_r[0]].start:toks[role_r[1]].end]
                    role_start = toks[role_r[0]].start
            else:
                src_r = _quantity_apposition(st, k)  # "About half, 52 percent, say …"
        elif k >= 0 and not st.inside[k] and (toks[k].is_word or toks[k].text == "%"):
            src_r = relative_subject(st, k) or _past_addressee(st, _np_left(st, k))
            if src_r is not None and form.endswith("ing") and document_participle(toks, first):
                if src_r[0] > 0 and toks[src_r[0] - 1].lower in section("boundary") | {"despite", "amid"}:
                    continue  # "In a statement defending him, the campaign said …": the main clause's frame reports
                src_r = _document_issuer(st, src_r)  # "Trump's campaign released a statement saying …": the campaign
            if src_r is None and not form.endswith("ing"):
                src_r = _bare_subject(st, k)  # "But opponents say", "About four in 10 said"
        if src_r is None and not participle and k >= 2:
            src_r = _titled_apposition(st, k)  # "Joe Hale, host of BBC Radio’s “Morning Show,” said"
        if src_r is None and not participle:
            # inverted: '“…,” said X' or ', said X.'
            prev_ok = first == 0 or st.inside[first - 1] or toks[first - 1].text in ",:;—–" or toks[first - 1].text in "”\"’'"
            if prev_ok:
                src_r = _np_right(st, last + 1)
                if src_r is not None and _opens_subject_clause(st, src_r):
                    src_r = None  # "…, said she regretted it": the pronoun opens the content, it is not the speaker
                if src_r is not None and lemma in section("object_cues") and _next_word(st, src_r[1]) in {"to", "that"}:
                    src_r = None  # "…, asked a federal judge to block …": the addressee, not an inverted speaker
                inverted = src_r is not None
                if inverted and not toks[src_r[1]].is_capitalised:
                    src_r = _named_after(st, src_r)  # "…,” said one of their lawyers, Michalis Dimitrakopoulos.
        if src_r is None and k >= 1 and toks[k].text == "," and not participle:
            src_r = _stray_comma_subject(st, k)  # "Peter Ainsworth MP, said: …", "Gov. John Kasich (R-OH), said"
        if src_r is None or _inside_subject_relative(st, src_r, first, cues) or _nested_after_that(st, src_r, cues):
            continue
        if src_r[0] < src_r[1] and toks[src_r[0]].lower in {"that", "which", "whether", "if"} \
                and not (src_r[0] == 0 and toks[0].text == "That" and _speaker_noun(toks[src_r[1]].lower, _subject_nouns())):
            continue  # "confident that she can …": a clause, not the words naming a speaker ("That person said" is)
        if src_r[0] == src_r[1] and toks[src_r[0]].lower in AUTHOR_VOICE:
            continue  # "I believe …", "you think …" in the author's own voice: an opinion, not a report
        if not inverted and not participle and _next_word(st, last) in COPULAS \
                and not (src_r[0] > 0 and toks[src_r[0] - 1].lower in {"which", "who", "that"}):
            continue  # "everything Trump says is a lie": the cue sits in a relative clause ("which he said was" reports)
        src = _span(toks, src_r)
        frame = (min(src[0], cue_span[0], role_start if role_start is not None else src[0]), max(src[1], cue_span[1]))
        content, kind, quote_ids = _content(text, st, frame, lemma, last if not inverted else src_r[1], inverted)
        if content is not None and lemma in section("needs_clause") and content[0] >= frame[1]:
            nxt = toks[last + 1].lower if last + 1 < len(toks) else ""
            intent = nxt == "to" and (forms_class(lemma) == "intent" or _infinitive_follows(st, toks[last + 1]))
            object_to = (nxt in {"it", "him", "her", "them", "us"} and last + 2 < len(toks) and toks[last + 2].lower == "to") \
                or (forms_class(lemma) in {"belief", "intent"} and _noun_object_to(st, last + 1))  # not "found the time to"
            if nxt not in {"that", ":"} and nxt not in WH_WORDS and not quote_ids and not intent and not object_to \
                    and not _document_subject(toks, src_r) and not _opens_clause(st, last + 1) \
                    and not _clause_after_adverbial(st, last + 1):
                continue  # "have learned, the hard way, to …", "understand the benefits": no reported clause
        if content is None:
            if text[s.end - 1] == ":" or (s.end < len(text) and text[frame[1]:s.end].strip(" ,") in {":", ""} and text[s.end - 1:s.end] == ":"):
                return [Attribution(s.sentence_no, (s.end, s.end), src, cue_span, lemma, "lead_in", [], role)]
            if _bare_frame(text, st, frame):  # "Mr Valentine agreed." before a quotation: see attribution.py
                return [Attribution(s.sentence_no, (s.end, s.end), src, cue_span, lemma, "lead_in", [], role)]
            continue
        if content[1] <= frame[0] and src_r[0] > 0 and toks[src_r[0] - 1].lower == "that" and not st.inside[src_r[0] - 1]:
            continue  # "… make clear that Labour is sticking to …": a frame after `that` reports nothing before it
        if kind == "quote" and content[0] >= frame[1]:
            cut = clause_end(text, st, src_r, last, content, (SUBORDINATE, RESTRICTIVE))
            if cut != content:  # "As X attacked the plan, the crowd chanted, “…”": the quotation is not X's
                content, kind = cut, "reported"
                quote_ids = [i for i in quote_ids if _quote_in(st, i, content)]
        if kind == "reported" and content[0] >= frame[1]:
            content = clause_end(text, st, src_r, last, content)
            quote_ids = [i for i in quote_ids if _quote_in(st, i, content)]
        if kind == "quote" and form not in verb_forms() and _label_quote(text, st, content):
            continue  # "tunes they have dubbed “blip-pop”": a learned cue naming something, not a report
        if form not in verb_forms() and text[content[0]:content[1]].split(" ", 1)[0].lower() in {"then", "and", "but"}:
            continue  # "Lee paused, then revealed …": a learned cue followed by the next verb of its subject
        main = Attribution(s.sentence_no, content, src, cue_span, lemma, kind, quote_ids, role)
        return [main, *_added_clauses(text, st, main, last)]
    return None


# Most words of a document's phrase before `by`/`of` and its author (`A 2014 study by …`).
MAX_DOCUMENT_WORDS = 3


def _agent_passive_frame(text: str, st: _Sentence, first: int, last: int, lemma: str) -> Attribution | None:
    """`The move was hotly criticized by economists`, `O'Malley's move was first reported by MSNBC`: the agent after
    `by` speaks, the passive's subject is what is reported (a relative pronoun or nothing found: no frame)."""
    toks = st.tokens
    src_r = _np_right(st, last + 1) or _agent_phrase(st, last + 1)
    k = skip_back(toks, first - 1)
    subj = _np_left(st, k) if k >= 0 else None
    if src_r is None or subj is None or toks[subj[0]].lower in RELATIVE_SUBJECTS or st.inside[subj[0]]:
        return None
    content = (toks[subj[0]].start, toks[subj[1]].end)
    cue_span = (toks[first].start, toks[last].end)
    return Attribution(st.s.sentence_no, content, _span(toks, src_r), cue_span, lemma, "reported",
                       [i for i, q in st.quotes if content[0] <= q.start < content[1]])


def _questioner_frame(text: str, st: _Sentence, first: int, last: int, lemma: str) -> Attribution | None:
    """`When asked by a reporter whether this differed from …, Trump said …`: the asker after `by` speaks, the
    question is the content, up to the next comma (where the answer's own frame begins)."""
    toks = st.tokens
    q = question_after(toks, last + 1)
    if q is None:
        return None
    src_r = _np_right(st, last + 1)
    if src_r is None and not any(t.lower in section("boundary") for t in toks[last + 1:q]):
        src_r = (last + 1, q - 1)  # "asked by the presenter if …": a description no list knows, up to the question
    if src_r is None or src_r[1] >= q:
        return None
    end = next((j for j in range(q, len(toks)) if toks[j].text in ",;:" and not st.inside[j]), len(toks))
    content = _strip(text, toks[q].start, toks[end - 1].end, trail=" ,;:—–-\n.")
    if len(st.words_between(*content)) < MIN_LEAD_WORDS:
        return None
    return Attribution(st.s.sentence_no, content, _span(toks, src_r), (toks[first].start, toks[first].end), lemma,
                       "reported", [i for i, q in st.quotes if content[0] <= q.start < content[1]])


# Most words of an agent phrase after `by` that no list knows (`by left-leaning economists`).
MAX_AGENT_WORDS = 5


def _agent_phrase(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`by left-leaning economists`, `by many Wall Street players`: words from token k up to a boundary, ending in a
    noun that can name speakers (a plural of people or a known speaker noun)."""
    toks = st.tokens
    j = k
    while j < len(toks) and j - k < MAX_AGENT_WORDS and toks[j].is_word and not st.inside[j] \
            and toks[j].lower not in section("boundary"):
        j += 1
    if j == k or not _speaker_noun(toks[j - 1].lower, _subject_nouns()) or not toks[j - 1].text[0].islower():
        return None
    return (k, j - 1)


def _document_issuer(st: _Sentence, doc_r: tuple[int, int]) -> tuple[int, int]:
    """For a document that reports (`a statement saying …`): who issued it when it is the object of a verb
    (`Trump's campaign released a statement saying`, `the council sent out a letter urging`, `The group ran ads
    attacking`), else the document (`Despite polls showing …`, `In her statement condemning …`)."""
    toks = st.tokens
    a, b = doc_r
    v = next((m for m in range(b - 1, a, -1) if toks[m].lower in ISSUING_VERBS), a - 1)  # "The group ran ads"
    if v >= 1 and toks[v].lower in {"out", "up"}:
        v -= 1  # "sent out", "put out", "put up"
    if v < 1 or st.inside[v] or not toks[v].is_word or not toks[v].text[0].islower() \
            or not (toks[v].lower.endswith("ed") or toks[v].lower in ISSUING_VERBS):
        return doc_r
    k = skip_back(toks, v - 1)
    if k >= 1 and toks[k].text == "," and not st.inside[k]:
        app = _apposition(st, k)  # "Chris Carr, the party's political director, released a statement …"
        return app[0] if app is not None else doc_r
    return _np_left(st, k) or doc_r


# Verbs that issue a document (`released a statement`, `ran ads`, `put out a letter`): irregular past forms, and
# the regular ones that may be read inside the document's phrase.
ISSUING_VERBS = frozenset({"sent", "put", "ran", "wrote", "gave", "issued", "released", "published", "posted",
                           "aired", "unveiled", "launched", "tweeted", "circulated", "filed", "distributed"})


def _nested_after_that(st: _Sentence, src_r: tuple[int, int], cues: list[tuple[int, int, str, str]]) -> bool:
    """`Advisers are quick to point out that polls show …`: a bare plural or a name right after `that`, with a
    cue before it in the sentence, speaks inside that cue's content; the earlier cue frames the sentence
    (`It is clear that officials believe …`, with no cue before, is a frame of its own)."""
    toks = st.tokens
    a = src_r[0]
    if a == 0 or toks[a - 1].lower != "that" or toks[a].lower in section("determiners"):
        return False
    return any(c[1] < a - 1 for c in cues)


def _inside_subject_relative(st: _Sentence, src_r: tuple[int, int], first: int,
                             cues: list[tuple[int, int, str, str]]) -> bool:
    """`People who know him say …`, `Voters who back the mayor say …`: is the cue at token `first`, whose
    subject is a relative pronoun with no comma before it, inside the relative clause that describes the
    subject of a later cue? Then the later cue is the sentence's frame (the clause runs into it)."""
    toks = st.tokens
    if src_r[0] != src_r[1] or src_r[0] == 0 or toks[src_r[0]].lower not in {"who", "that", "which"} \
            or not toks[src_r[0] - 1].is_word:
        return False
    return any(c[0] > first and (r := relative_subject(st, skip_back(toks, c[0] - 1))) is not None and r[1] < src_r[0]
               for c in cues)


def _document_subject(toks: list, src_r: tuple[int, int]) -> bool:
    """Is the subject a document or survey (`the report`, `A 2014 study by professor X`, `The poll by the
    Institute`), whose finding may be a plain object (`found 31 incidents`, `showed X leading`)?"""
    nouns = lexicon.words("document_nouns")
    a = src_r[0]
    if a >= 2 and toks[a - 1].lower in {"by", "of", "from"}:
        a = max(0, a - 1 - MAX_DOCUMENT_WORDS)  # "A 2014 study by professor X": the document before its author
    return any(t.lower in nouns or t.lower.rstrip("s") in nouns for t in toks[a:src_r[1] + 1])


def _unlisted_verb_frame(text: str, st: _Sentence) -> Attribution | None:
    """`“…,” Trump boasted.` / `“…?” quipped the host.`: right after a quotation, a name and a past-tense
    verb (or the reverse) frame the quote even when the verb is not in the lexicon."""
    toks = st.tokens
    s = st.s
    for _, q in st.quotes:
        close = q.close_mark
        if close is None or text[close - 1:close] not in ",?!" :
            continue
        k = next((i for i, t in enumerate(toks) if t.start > close), None)
        if k is None or st.inside[k]:
            continue
        end = next((i for i in range(k, len(toks)) if not toks[i].is_word), len(toks))
        words = toks[k:end]
        if not 2 <= len(words) <= 6 or (end < len(toks) and toks[end].text not in ".,;!?"):
            continue
        verb_at = next((i for i, t in enumerate(words) if t.text[0].islower() and t.lower.endswith("ed")), None)
        if verb_at is None:
            continue
        if verb_at == len(words) - 1:  # “…,” Trump boasted.
            src_r = _np_left(st, k + verb_at - 1)
        elif verb_at == 0:  # “…,” quipped Trump.
            src_r = _np_right(st, k + 1)
        else:
            continue
        if src_r is None:
            continue
        verb = words[verb_at]
        quotes = [(i, x) for i, x in st.quotes if x.end <= q.end]
        a, b = _full_quote_span(quotes)
        return Attribution(s.sentence_no, (a, b), _span(toks, src_r), (verb.start, verb.end), _lemma(verb.lower),
                           "quote", [i for i, _ in quotes])
    return None


