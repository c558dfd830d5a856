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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.text import cue_model, lexicon
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.quotes import Quote
from pipelines.text.segment import Layout, Sentence
from pipelines.text.tokens import Token, tokenize

PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
INTERJECTED = frozenset({"however", "though", "too", "also", "meanwhile", "moreover", "instead", "nevertheless",
                         "meantime", "in turn", "therefore", "then"})
CONTRACTED_SUBJECTS = frozenset({"he's", "she's", "it's", "they're", "we're", "i'm", "you're", "he'd", "she'd",
                                 "they'd", "he'll", "she'll", "they'll"})
QUANTIFIER_SUBJECTS = frozenset({"some", "many", "others", "most", "few", "several", "both", "all"})
RELATIVE_SUBJECTS = frozenset({"who", "which"})
PASSIVE_AUX = frozenset({"was", "were", "is", "are", "be", "been", "being", "get", "got"})
AUTHOR_VOICE = frozenset({"i", "we", "you"})  # outside quotation marks these are the writer and the reader
COPULAS = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should", "may",
                     "might", "must"})
PROGRESSIVE = frozenset({"is", "are", "was", "were", "been", "be", "'s", "’s", "'re", "’re"})
_IMPERSONAL = re.compile(
    r"\b(?:[Ii]t|[Tt]here)\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|generally\s+|also\s+)?"
    r"(believed|said|thought|understood|reported|alleged|claimed|feared|expected|rumou?red)\s+(?:that\s+)?")
ENDING_PUNCT = ".!?;:,—–-…"
_DASH_CREDIT = re.compile(r"[”\"]\s*([―—–]|--)\s*([A-Z][\w.’'\- ]{1,60}?)\s*(?:,[^.”\"]*)?\.?\s*$")
_TRANSCRIPT = re.compile(r"[\"“‘']?([A-Z][A-Z.’'\- ]{1,30}[A-Z.]):\s")
MAX_NP = 12
TURN_MIN_WORDS = 4  # a quotation this long between two others is someone's turn, not a scare quote or title


@dataclass(slots=True)
class Attribution:
    """One attributed statement: spans are (start, end) offsets into the article text."""

    sentence_no: int
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    cue_lemma: str | None
    kind: str  # quote, reported, according, transcript, lead_in, continuation
    quotes: list[int] = field(default_factory=list)  # indices into the article's quotes
    role: str | None = None  # an apposition or description seen with the source
    continues: Attribution | None = None  # for continuations: the attribution continued


def _strip(text: str, a: int, b: int, lead: str = " ,:;—–-\n", trail: str = " ,:;—–-\n") -> tuple[int, int]:
    while a < b and text[a] in lead:
        a += 1
    while b > a and text[b - 1] in trail:
        b -= 1
    return a, b


class _Sentence:
    """Tokens of one sentence with the quotation mask."""

    def __init__(self, text: str, s: Sentence, quotes: list[tuple[int, Quote]], tokens: list[Token] | None = None):
        self.text = text
        self.s = s
        self.quotes = quotes  # (index, quote) overlapping this sentence, top level only
        self.tokens = tokens if tokens is not None else tokenize(text, s.start, s.end)
        self.inside = self._in_quotes()

    def _in_quotes(self) -> list[bool]:
        """For each token: does it lie within a quote's marks? One sweep, tokens and quotes in order
        (a token is inside when the furthest-reaching quote opened at or before it reaches its end)."""
        spans = sorted((q.open_mark, (q.close_mark if q.close_mark is not None else q.end) + 1) for _, q in self.quotes)
        out, k, reach = [], 0, -1
        for t in self.tokens:
            while k < len(spans) and spans[k][0] <= t.start:
                reach = max(reach, spans[k][1])
                k += 1
            out.append(t.end <= reach)
        return out

    def words_between(self, a: int, b: int) -> list[Token]:
        return [t for k, t in enumerate(self.tokens) if a <= t.start and t.end <= b and t.is_word and not self.inside[k]]


def _is_noun_use(tokens: list[Token], k: int) -> bool:
    """`the claims`, `his statement`, `Pakistan’s warning`: a noun, not a verb."""
    if k == 0:
        return False
    prev = tokens[k - 1]
    if prev.lower in QUANTIFIER_SUBJECTS and (k == 1 or not tokens[k - 2].is_word):
        return False  # "Some believe …", "Many say …": the quantifier is the subject
    return prev.lower in section("determiners") or prev.text.endswith(("’s", "'s")) and tokens[k].lower.endswith("s")


def forms_class(lemma: str) -> str:
    """speech, belief or intent: the class of a cue lemma."""
    return lexicon.table("reporting_verbs").get(lemma, ("speech",))[0]


def _verb_position(toks: list[Token], k: int) -> bool:
    """For a word that is also a noun (`state`, `reports`): is it right after a plausible subject?"""
    if k == 0:
        return False
    prev = toks[k - 1]
    if prev.lower in PRONOUNS or prev.lower in section("skip"):
        return True
    nouns = lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("document_nouns")
    if prev.lower in nouns:
        return True
    from pipelines.text.gazetteer import demonyms

    return prev.is_capitalised and prev.text not in demonyms() and not prev.text.endswith(("’s", "'s"))


@cache
def _cue_words() -> frozenset[str]:
    """The first word of every cue: a sentence with none of them has no cue."""
    return frozenset({max(f.split(), key=len) for f in verb_forms()}
                     | {max(c.split(), key=len) for c in lexicon.words("multiword_cues")})


_LOWER_WORDS = re.compile(r"[a-z]+")


def _find_cues(st: _Sentence) -> list[tuple[int, int, str, str]]:
    """(first token, last token, lemma, form) of each cue outside quotation marks, in order."""
    words = _LOWER_WORDS.findall(st.text[st.s.start:st.s.end].lower())
    if _cue_words().isdisjoint(words) and cue_model.candidates().isdisjoint(words):
        return []
    forms = verb_forms()
    toks = st.tokens
    out, learned = [], []
    k = 0
    while k < len(toks):
        if st.inside[k] or not toks[k].is_word:
            k += 1
            continue
        low = toks[k].lower
        nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
        two = f"{low} {nxt}"
        if two in lexicon.words("multiword_cues") or (k + 2 < len(toks) and f"{two} {toks[k + 2].lower}" in lexicon.words("multiword_cues")):
            span = 2 if two in lexicon.words("multiword_cues") else 3
            out.append((k, k + span - 1, " ".join(t.lower for t in toks[k:k + span]), "according"))
            k += span
            continue
        if two in forms and not _is_noun_use(toks, k):
            out.append((k, k + 1, forms[two][0], two))
            k += 2
            continue
        initial_inverted = k == 0 and toks[k].text[0].isupper() and k + 1 < len(toks) and toks[k + 1].is_capitalised
        if low in forms and (toks[k].text[0].islower() or initial_inverted) and not _is_noun_use(toks, k):
            prev = toks[k - 1].lower if k else ""
            lemma = forms[low][0]
            if lemma in section("noun_like_cues") and low in (lemma, lemma + "s", lemma + "es") and not _verb_position(toks, k):
                k += 1
                continue
            aux = toks[_skip_back(toks, k - 1)].lower if k else ""
            if (prev in PASSIVE_AUX or aux in PASSIVE_AUX) and low.endswith(
                    ("ed", "told", "said", "thought", "known", "found", "shown", "written")):
                k += 1
                continue  # passive: "was told", "is believed", "was first reported by"
            if low.endswith("ing") and prev != "," and prev not in PROGRESSIVE and \
                    prev.replace("’", "'") not in CONTRACTED_SUBJECTS:
                k += 1
                continue  # "saying" as a noun or adjective; "were urging" and ", saying" are verbs
            if prev == "to" and (forms[low][1] != "speech" or low != forms[low][0]):
                k += 1
                continue
            out.append((k, k, forms[low][0], low))
        elif _learned_cue(st, k):
            learned.append((k, k, _lemma(low) if low.endswith("ed") else low, low))
        k += 1
    return out + learned  # lexicon cues are read first: a learned one only where they frame nothing


def _learned_cue(st: _Sentence, k: int) -> bool:
    """A lower-case word outside the lexicon that the annotated data says is usually a cue here
    (`declined to`, `referring to`): see `cue_model.py`."""
    toks = st.tokens
    t = toks[k]
    if t.lower not in cue_model.candidates() or not t.text[0].islower() or t.lower in verb_forms() \
            or _is_noun_use(toks, k):
        return False
    return cue_model.probability(t.lower, cue_model.after_class(toks, k)) >= cue_model.MIN_PROBABILITY


def _skip_back(toks: list[Token], k: int) -> int:
    """Step left over adverbs, auxiliaries and a parenthesis (`(D-Mo.)`) between a subject and its verb."""
    skip = section("skip")
    while k >= 0:
        if toks[k].lower in skip or toks[k].lower.endswith(("n’t", "n't")) or (
                toks[k].lower.endswith("ly") and toks[k].text[0].islower() and len(toks[k].text) > 4):
            k -= 1  # "has long", "didn't", "frequently"
        elif toks[k].text == "," and k >= 2 and toks[k - 1].lower in INTERJECTED and toks[k - 2].text == ",":
            k -= 3  # "Some Democrats, however, question …"
        elif toks[k].text == ")":
            j = k
            while j >= 0 and toks[j].text != "(" and k - j < 12:
                j -= 1
            if j < 0 or toks[j].text != "(":
                return k
            k = j - 1
        else:
            return k
    return k


def _np_left(st: _Sentence, k: int) -> tuple[int, int] | None:
    """Token range (a, b) of the subject phrase ending at token k, or None."""
    toks = st.tokens
    if k < 0 or st.inside[k] or not toks[k].is_word:
        return None
    head = toks[k]
    if head.lower in PRONOUNS or head.lower in QUANTIFIER_SUBJECTS or head.lower in RELATIVE_SUBJECTS or \
            head.lower.replace("’", "'") in CONTRACTED_SUBJECTS:
        return (k, k)  # "he said", "some believe", "…, who said"
    boundary = section("boundary")
    modifiers = section("modifiers")
    determiners = section("determiners")
    titles = lexicon.words("person_titles")
    nouns = (lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("document_nouns")
             | lexicon.words("organisation_words"))
    if head.lower in boundary or head.lower in determiners:
        return None
    a = k
    if head.text[0].isdigit() and k >= 2 and toks[k - 1].lower in {"in", "on", "since", "by", "until", "during"}:
        return _np_left(st, k - 2)  # "an arbitration panel in 2001 found": the year is not the source
    if head.is_capitalised or head.text[0].isdigit():
        # a name: capitalised words, connectors between them, titles, possessives, "(ACR)"
        j = k - 1
        while j >= 0 and k - j < MAX_NP and not st.inside[j]:
            t = toks[j]
            if t.text in "()" or (t.is_acronym and j > 0 and toks[j - 1].text == "("):
                j -= 1
                continue
            if not t.is_word or t.text in lexicon.words("non_entities", case_sensitive=True):
                break  # "But Fowler noted": the conjunction is not part of the name
            if t.is_capitalised or t.lower in titles or t.lower in modifiers or t.text.endswith(("’s", "'s")):
                a = j
                j -= 1
            elif t.lower in {"of", "de", "bin", "al", "la", "van", "von"} and j > 0 and toks[j - 1].is_capitalised:
                j -= 1
            elif t.lower in determiners:
                a = j
                break
            else:
                break
        while a < k and toks[a].text in "()":
            a += 1
        return (a, k)
    # a description: "Pakistan’s military ruler", "powerful voices", "the CIA’s key expert"
    known_head = (head.lower in nouns or head.lower[:-1] in nouns
                  or head.lower.endswith(("ers", "ists", "ians", "man", "men", "woman", "women")))
    j = k - 1
    determined = False
    while j >= 0 and k - j < MAX_NP and not st.inside[j] and toks[j].is_word:
        t = toks[j]
        if t.lower in determiners or t.text.endswith(("’s", "'s")):
            determined = True
        if t.lower in determiners:
            a = j
            break
        if t.lower in boundary or t.lower in section("skip"):
            break
        a = j
        j -= 1
    if not known_head and not (determined and k - a <= 3):
        return None  # "the clip says", "Connecticut’s tax commissioner says"; not "the war had driven"
    return (a, k)


def _np_right(st: _Sentence, k: int) -> tuple[int, int] | None:
    """Token range of the phrase naming the speaker right after the cue (inverted order)."""
    toks = st.tokens
    if k >= len(toks) or st.inside[k] or not toks[k].is_word:
        return None
    if toks[k].lower in PRONOUNS:
        return (k, k)
    boundary = section("boundary")
    a = k
    b = None
    j = k
    nouns = (lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("person_titles")
             | lexicon.words("document_nouns") | lexicon.words("organisation_words"))
    while j < len(toks) and j - k < MAX_NP and not st.inside[j] and toks[j].is_word:
        t = toks[j]
        if t.lower in boundary and not (t.lower in {"of", "for"} and j + 1 < len(toks) and toks[j + 1].is_capitalised):
            break
        if t.is_capitalised or t.lower in nouns:
            b = j
        elif t.lower in section("determiners") or t.lower in section("modifiers") or t.lower in {"of", "for"}:
            pass
        elif b is not None:
            break
        j += 1
        if b is not None and toks[b].text.endswith(("’s", "'s")):
            b = None  # "said Pakistan’s ...": keep going to the head noun
    return (a, b) if b is not None else None


def _is_separator(toks: list[Token], k: int, sep: str) -> bool:
    """Is token k the separator `sep` (a comma, or a dash written —, – or --)?"""
    if sep == ",":
        return toks[k].text == ","
    return toks[k].text in "—–" or (toks[k].text == "-" and k > 0 and toks[k - 1].text == "-")


def _in_parens(toks: list[Token], start: int, k: int) -> bool:
    """Is token k inside a parenthesis opened at or after `start`?"""
    depth = 0
    for j in range(start, k):
        depth += toks[j].text == "("
        depth -= toks[j].text == ")"
    return depth > 0


def _apposition(st: _Sentence, sep_k: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """For `X, the …, said` (or `X -- the … -- said`, or `X, the …, one of …, said`) read leftwards from
    the separator before the cue: (the speaker's tokens, the apposition's tokens), or None.

    The stretch between the last quotation (or the sentence start) and the cue is cut at the
    separators; the speaker is the first piece that is a short name rather than a role."""
    toks = st.tokens
    sep = "," if toks[sep_k].text == "," else "—"
    start = sep_k
    while start > 0 and not st.inside[start - 1] and sep_k - start < 40:
        start -= 1
    pieces: list[tuple[int, int]] = []
    a = start
    for k in range(start, sep_k + 1):
        if _is_separator(toks, k, sep) or k == sep_k:
            b = k - 1 if not (toks[k].text == "-" and sep != ",") else k - 2
            while b >= a and not toks[b].is_word and toks[b].text not in "()":
                b -= 1
            while a <= b and not toks[a].is_word:
                a += 1
            if a <= b:
                pieces.append((a, b))
            a = k + 1
    if len(pieces) < 2:
        return None
    last_first = toks[pieces[-1][0]].lower
    if last_first in section("boundary") and last_first not in {"who", "whose", "which"}:
        return None  # "…, and the meeting deteriorated from there, said …": a clause, not an apposition
    if any(toks[k].lower in verb_forms() and verb_forms()[toks[k].lower][1] == "speech" and not _is_noun_use(toks, k)
           for k in range(pieces[0][0], sep_k)):
        return None  # another reporting verb in between: not a plain apposition
    titles = lexicon.words("person_titles")
    for n, (pa, pb) in enumerate(pieces):
        words = [t for t in toks[pa:pb + 1] if t.is_word]
        if not words or pb - pa > 8:
            continue
        named = [t for t in toks[pa:pb + 1] if t.is_word and not _in_parens(toks, pa, toks.index(t))]
        is_name = bool(named) and (words[0].is_capitalised and words[0].lower not in section("determiners")
                                   and named[-1].lower not in titles and named[-1].lower.rstrip(".") not in titles)
        if is_name:
            end = pb
            if toks[end].text == ")":  # "Rep. Jim Jordan (R-Ohio)": the name is before the parenthesis
                while end > pa and toks[end].text != "(":
                    end -= 1
                end -= 1
            src = _np_left(st, end) if end >= pa else None
            if src is None:
                continue
            role = pieces[n + 1] if n + 1 < len(pieces) else pieces[n - 1]
            return src, role
    return None


def _span(toks: list[Token], r: tuple[int, int]) -> tuple[int, int]:
    return toks[r[0]].start, toks[r[1]].bare_end if toks[r[1]].text.endswith(("’s", "'s")) else toks[r[1]].end


def _is_adverbial(words: list[Token]) -> bool:
    """`on Tuesday`, `in a statement`: a trailing adverbial, not content."""
    if not words:
        return True
    if any(w.lower == "that" for w in words):
        return False
    return words[0].lower in section("adverbial") or (len(words) <= 2 and not any(w.is_capitalised for w in words))


def _full_quote_span(quotes: list[tuple[int, Quote]]) -> tuple[int, int]:
    return min(q.start for _, q in quotes), max(q.end for _, q in quotes)


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
    toks = st.tokens
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
    for first, last, lemma, form in _find_cues(st):
        cue_span = (toks[first].start, toks[last].end)
        if form == "according":
            r = _np_right(st, last + 1)
            if r is None:
                continue
            src = _span(toks, r)
            before = st.words_between(s.start, cue_span[0])
            if len(before) <= 1:
                content = _strip(text, src[1], s.end, trail=" ,:;—–-\n.")
            else:
                content = _strip(text, s.start, cue_span[0], trail=" ,:;—–-\n")
            if content[1] - content[0] < 3:
                continue
            return [Attribution(s.sentence_no, content, src, cue_span, "according to", "according",
                                [i for i, q in st.quotes if content[0] <= q.start < content[1]])]
        role = None
        role_start = None
        k = _skip_back(toks, first - 1)
        participle = form.endswith("ing") and first > 0 and toks[first - 1].text == ","
        src_r = None
        inverted = False
        coordinated = first > 0 and toks[first - 1].lower == "and" and form.endswith(("ed", "said", "told", "says", "wrote"))
        purpose = first > 0 and toks[first - 1].lower == "to"  # "X went on air to warn …": X warns
        if purpose:
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
        elif k >= 0 and not st.inside[k] and toks[k].is_word:
            src_r = _np_left(st, k)
        if src_r is None and not participle:
            # inverted: '“…,” said X' or ', said X.'
            prev_ok = first == 0 or st.inside[first - 1] or toks[first - 1].text in ",:;—–" or toks[first - 1].text in "”\"’'"
            if prev_ok:
                src_r = _np_right(st, last + 1)
                inverted = src_r is not None
        if src_r is None:
            continue
        if src_r[0] == src_r[1] and toks[src_r[0]].lower in AUTHOR_VOICE:
            continue  # "I believe …", "you think …" in the author's own voice: an opinion, not a report
        if not inverted and not participle and _next_word(st, last) in COPULAS:
            continue  # "everything Trump says is a lie": the cue sits in a relative clause
        src = _span(toks, src_r)
        frame = (min(src[0], cue_span[0], role_start if role_start is not None else src[0]), max(src[1], cue_span[1]))
        content, kind, quote_ids = _content(text, st, frame, lemma, last if not inverted else src_r[1], inverted)
        if content is not None and lemma in section("needs_clause") and content[0] >= frame[1]:
            nxt = toks[last + 1].lower if last + 1 < len(toks) else ""
            head = toks[src_r[1]].lower
            intent = nxt == "to" and (forms_class(lemma) == "intent" or _infinitive_follows(st, toks[last + 1]))
            if nxt not in {"that", ":"} and not quote_ids and not intent and head.rstrip("s") not in lexicon.words("document_nouns") \
                    and head not in lexicon.words("document_nouns") and not _opens_clause(st, last + 1):
                continue  # "have learned, the hard way, to …", "understand the benefits": no reported clause
        if content is None:
            if text[s.end - 1] == ":" or (s.end < len(text) and text[frame[1]:s.end].strip(" ,") in {":", ""} and text[s.end - 1:s.end] == ":"):
                return [Attribution(s.sentence_no, (s.end, s.end), src, cue_span, lemma, "lead_in", [], role)]
            continue
        main = Attribution(s.sentence_no, content, src, cue_span, lemma, kind, quote_ids, role)
        return [main, *_added_clauses(text, st, main, last)]
    framed = _unlisted_verb_frame(text, st)
    return [framed] if framed else None


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


def _lemma(form: str) -> str:
    """The base form of a regular past-tense verb (`boasted` -> `boast`, `quipped` -> `quip`)."""
    known = verb_forms().get(form)
    if known:
        return known[0]
    if form.endswith("ied"):
        return form[:-3] + "y"
    stem = form[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem.endswith(("at", "iz", "ag", "us", "ur", "uc", "ot")) or stem.endswith(("v", "c")):
        return stem + "e"
    return stem


COORDINATORS = frozenset({"and", "but"})


def _added_cue(st: _Sentence, k: int) -> tuple[str, int] | None:
    """(lemma, first token of the joining words) when token k opens a clause adding to the main frame:
    a speech participle after a comma (`…, adding that …`) or a finite cue joined by `and`/`but` with the
    same subject (`… and said …`, `…, but thinks …`)."""
    toks = st.tokens
    t = toks[k]
    if st.inside[k] or not t.text[0].islower():
        return None
    forms = verb_forms()
    if t.lower.endswith("ing") and toks[k - 1].text == ",":
        known = forms.get(t.lower)
        return (known[0], k - 1) if known and known[1] == "speech" else None
    j = k - 1
    while j > 0 and toks[j].lower in section("skip") and toks[j].lower not in COPULAS:
        j -= 1  # "and also said", "but later told"
    if toks[j].lower not in COORDINATORS or t.lower.endswith("ing") or _is_noun_use(toks, k):
        return None
    joint = j - 1 if j > 0 and toks[j - 1].text == "," else j
    if t.lower in forms and t.lower != forms[t.lower][0]:
        return forms[t.lower][0], joint
    if _learned_cue(st, k):
        return (_lemma(t.lower) if t.lower.endswith("ed") else t.lower), joint
    return None


def _joined_subject(st: _Sentence, k: int) -> tuple[tuple[int, int], int] | None:
    """(subject tokens, first token of the joining words) for `…, and the unions said …`: a finite
    lexicon cue whose own subject follows `and`/`but`."""
    toks = st.tokens
    t = toks[k]
    forms = verb_forms()
    if st.inside[k] or not t.text[0].islower() or t.lower not in forms or t.lower == forms[t.lower][0] \
            or t.lower.endswith("ing") or _is_noun_use(toks, k):
        return None
    np = _np_left(st, _skip_back(toks, k - 1))
    if np is None or np[0] == 0 or toks[np[0] - 1].lower not in COORDINATORS:
        return None
    j = np[0] - 1
    return np, (j - 1 if j > 0 and toks[j - 1].text == "," else j)


def _added_clauses(text: str, st: _Sentence, main: Attribution, after_k: int) -> list[Attribution]:
    """`…, X said, adding that …` / `X said … but said …`: cues after the main frame that report more
    from the same speaker; each content stops where the next added clause begins."""
    toks = st.tokens
    out: list[Attribution] = []
    prev = main
    for k in range(after_k + 1, len(toks) - 1):
        added = _added_cue(st, k)
        source, role = main.source, main.role
        if added is None:
            joined = _joined_subject(st, k)
            if joined is None:
                continue
            np, joint = joined
            added = (verb_forms()[toks[k].lower][0], joint)
            source, role = _span(toks, np), None
        lemma, joint = added
        t = toks[k]
        a = toks[k + 1].end if toks[k + 1].lower == "that" else t.end
        a, b = _strip(text, a, st.s.end, trail=" ,;—–-\n.")
        for _, q in st.quotes:
            b = max(b, q.end) if q.start >= a else b
        if b - a < 3 or not prev.content[0] < toks[joint].start < prev.content[1]:
            continue
        prev.content = _strip(text, prev.content[0], toks[joint].start)
        prev.quotes[:] = [i for i in prev.quotes if _quote_in(st, i, prev.content)]
        prev = Attribution(main.sentence_no, (a, b), source, (t.start, t.end), lemma, "reported",
                           [i for i, q in st.quotes if a <= q.start < b], role)
        out.append(prev)
    return out


def _quote_in(st: _Sentence, index: int, span: tuple[int, int]) -> bool:
    """Does quote `index` of this sentence start inside `span`?"""
    return any(i == index and span[0] <= q.start < span[1] for i, q in st.quotes)


def _clause_start(st: _Sentence, k: int, marks: str) -> int:
    """Index of the first token after the last of `marks` before token k (outside quotes), or 0."""
    for j in range(k - 1, -1, -1):
        if st.tokens[j].text in marks and not st.inside[j]:
            return j + 1
    return 0


def _purpose_subject(st: _Sentence, to_k: int) -> tuple[int, int] | None:
    """`…, General X went on air to warn …`: the name opening the clause, directly followed by its
    verb, is the one who warns. Only a name (or pronoun) counts: `urged the country to …` has none."""
    toks = st.tokens
    j = _clause_start(st, to_k, ",;:")
    titles = lexicon.words("person_titles")
    if j >= to_k:
        return None
    if toks[j].lower in PRONOUNS:
        end = j
    else:
        end = j - 1
        while end + 1 < to_k and (toks[end + 1].is_capitalised or toks[end + 1].lower in titles) \
                and not toks[end + 1].text.endswith(("’s", "'s")):
            end += 1
        if end < j or not toks[end].is_capitalised or toks[j].lower in section("adverbial"):
            return None
        if toks[end].lower in section("determiners"):  # "The peers voted … to say": the noun after it
            end += 1
            if end >= to_k or not toks[end].is_word or not toks[end].text[0].islower():
                return None
    verb = toks[end + 1] if end + 1 < to_k else None
    if verb is None or not verb.text[0].islower() or verb.lower in section("boundary"):
        return None
    return (j, end)


def _clause_subject(st: _Sentence, cue_k: int) -> tuple[int, int] | None:
    """For `…, saying …`: the subject at the start of the clause holding the cue."""
    toks = st.tokens
    j = _clause_start(st, cue_k, ";:")
    while j < cue_k and (not toks[j].is_word or st.inside[j]):
        j += 1
    if j < cue_k and toks[j].lower in section("adverbial") | section("boundary"):
        # "In April 2004, X stood …": the subject follows the opening phrase
        comma = next((c for c in range(j, cue_k) if toks[c].text == "," and not st.inside[c]), None)
        if comma is None:
            return None
        j = comma + 1
    end = j
    titles = lexicon.words("person_titles")
    while end + 1 < cue_k and (toks[end + 1].is_capitalised or toks[end + 1].lower in section("modifiers")
                               or toks[end + 1].lower in titles) and not toks[end].text.endswith(("’s", "'s")):
        end += 1
    if j >= cue_k or not (toks[j].is_capitalised or toks[j].lower in PRONOUNS):
        return None
    if toks[j].lower in section("boundary") or toks[j].lower in section("determiners") and end == j:
        return None
    return (j, end)


def _content(text: str, st: _Sentence, frame: tuple[int, int], lemma: str, after_k: int, inverted: bool = False):
    """(content span, kind, quote ids) for a frame in this sentence, or (None, None, [])."""
    s = st.s
    quotes_before = [(i, q) for i, q in st.quotes if q.end <= frame[0]]
    quotes_after = [(i, q) for i, q in st.quotes if q.start >= frame[1]]
    after_words = st.words_between(frame[1], s.end)
    before_words = st.words_between(s.start, frame[0])
    after_has_quote_words = bool(quotes_after)
    intention = after_words[:1] and after_words[0].lower == "to" and (
        forms_class(lemma) == "intent" or _infinitive_follows(st, after_words[0]))
    adverbial_after = not after_has_quote_words and not intention and _is_adverbial(after_words)
    if quotes_before and quotes_after and not before_words[-1:] and not [w for w in after_words if w.start < quotes_after[0][1].open_mark]:
        a, b = _full_quote_span(quotes_before + quotes_after)
        return (a, b), "quote", [i for i, _ in quotes_before + quotes_after]
    next_tok = _next_word(st, after_k)
    rest = text[frame[1]:s.end].lstrip(" ,:\n")
    quote_follows = bool(quotes_after) and rest[:1] in "“\"‘'«"
    lead_words = st.words_between(s.start, quotes_before[0][1].open_mark) if quotes_before else []
    if quotes_before and not quote_follows and next_tok not in {"that", ":"} and (len(lead_words) <= 2 or inverted):
        # `“…,” X said (, the …)`: what follows the frame is the author's, the content comes before it
        return _before_content(text, st, frame), "quote", [i for i, _ in quotes_before]
    if quotes_after or (after_words and not adverbial_after):
        a = frame[1]
        toks = st.tokens
        # X told Y that …: skip to "that" when it comes soon
        k = after_k + 1
        if k < len(toks) and not st.inside[k] and (toks[k].lower == "that" or toks[k].text in ":,"):
            a = toks[k].end
        elif lemma in section("object_cues") or (k < len(toks) and toks[k].lower == "to"):  # "said to reporters that"
            for j in range(k, min(len(toks), k + 8)):  # X told Y that …
                if st.inside[j] or toks[j].text in ",;":
                    break
                if toks[j].lower == "that" or toks[j].text == ":":
                    a = toks[j].end
                    break
        a, b = _strip(text, a, s.end, trail=" ,;—–-\n")
        b = max([b] + [q.end for _, q in quotes_after if q.end > b])
        if b - a < 3:
            return None, None, []
        whole = [q for _, q in quotes_after if q.open_mark == a and q.close_mark is not None
                 and not text[q.close_mark + 1:b].strip(" .,;!?”\"’'")]
        if whole:  # `X said: “…”`: the quotation itself, without its marks
            a, b = whole[0].start, whole[0].end
        if before_words and len(before_words) >= 3 and text[frame[0] - 2:frame[0]].strip() == "," and not quotes_after \
                and text[frame[1]:s.end].lstrip()[:1] == "," and _starts_clause(before_words):
            a0, _ = _strip(text, s.start, frame[0])
            return (a0, b), "reported", [i for i, q in st.quotes if a0 <= q.start < b]
        return (a, b), "reported" if not quotes_after else "quote", [i for i, q in st.quotes if a <= q.start < b]
    if len(before_words) >= 3 and (lemma not in section("needs_clause") or quotes_before):
        a, b = _before_content(text, st, frame)
        return (a, b), "reported", [i for i, q in st.quotes if a <= q.start < b]
    return None, None, []


FINITE = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "can", "should", "may",
                    "might", "must", "does", "did", "do"})


def _opens_clause(st: _Sentence, k: int) -> bool:
    """Do the words from token k on read as a clause (a subject, then a finite verb), as in
    `found the United States was in breach` or `found PolitiFact consistently rated …`?"""
    toks = st.tokens
    if k >= len(toks) or not toks[k].is_word or toks[k].lower in section("boundary"):
        return False
    for j in range(k + 1, min(len(toks), k + 8)):
        t = toks[j]
        if not t.is_word or t.lower in section("boundary"):
            return False
        if t.lower in FINITE or (t.text[0].islower() and t.lower.endswith("ed") and j > k):
            return True
    return False


def _infinitive_follows(st: _Sentence, to: Token) -> bool:
    """`vowed to bring back …` (an intention) rather than `said to reporters` (an addressee)."""
    k = st.tokens.index(to)
    if k + 1 >= len(st.tokens):
        return False
    nxt = st.tokens[k + 1]
    return (nxt.is_word and nxt.text[0].islower() and nxt.lower not in section("determiners")
            and nxt.lower not in PRONOUNS and nxt.lower not in {"him", "her", "them", "us", "me", "reporters"})


def _next_word(st: _Sentence, k: int) -> str:
    """The token after token k, lower-cased ("" at the end)."""
    return st.tokens[k + 1].lower if k + 1 < len(st.tokens) else ""


def _before_content(text: str, st: _Sentence, frame: tuple[int, int]) -> tuple[int, int]:
    """Everything before the frame, quotation marks and separators trimmed; a quotation that began
    in an earlier sentence is taken whole."""
    s = st.s
    a, b = _strip(text, s.start, frame[0], lead=" \n“\"‘'«", trail=" ,:;—–-\n”\"’'»")
    for _, q in st.quotes:
        if q.start < s.start:
            a = min(a, q.start)
        if q.end <= frame[0] and q.end > b:
            b = q.end
    while b > a and text[b - 1] in ",;:":  # “It works,” she said: the comma belongs to the frame
        b -= 1
    return a, b


def _starts_clause(words: list[Token]) -> bool:
    """`The Army’s calls …, the Generals explained, weren’t …`: the words before the frame are a subject."""
    return words[0].lower not in section("adverbial") and words[0].lower not in {"but", "and", "yet", "so", "however"}


def find_attributions(text: str, layout: Layout, quotes: list[Quote],
                      tokens_by_sentence: dict[int, list[Token]] | None = None) -> list[Attribution]:
    """Attributions of every sentence of the article, in reading order."""
    by_sentence: dict[int, list[tuple[int, Quote]]] = {}
    sent_of = {}
    for i, q in enumerate(quotes):
        if q.depth != 0:
            continue
        for s in layout.sentences:
            if s.start < (q.close_mark or q.end) + 1 and q.open_mark < s.end:
                by_sentence.setdefault(s.sentence_no, []).append((i, q))
                sent_of.setdefault(i, s.sentence_no)
    out: list[Attribution] = []
    pending_lead: Attribution | None = None
    last_quote_attr: Attribution | None = None
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
            if att is None and para_of[s.sentence_no] == para_of[lead.sentence_no] + 1:
                p = layout.paragraphs[s.paragraph_no]
                a, b = _strip(text, p.char_start, p.char_end, lead=" \n\"“‘'", trail=" \n\"”’'")
                ids = [i for i, q in enumerate(quotes) if a - 1 <= q.start < b and q.depth == 0]
                out.append(Attribution(s.sentence_no, (a, b), lead.source, lead.cue, lead.cue_lemma, "lead_in", ids, lead.role))
                last_quote_attr = out[-1]
                continue
        if att is not None and att.kind == "lead_in":
            pending_lead = att
            continue
        if att is not None:
            out.extend(found)
            if att.quotes:
                last_quote_attr = att
            continue
        # continuation: a sentence that is only a quotation, after an attributed quotation
        if sq and last_quote_attr is not None and s.sentence_no - last_quote_attr.sentence_no <= 3 \
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
                    continue
                out.append(Attribution(s.sentence_no, (a, b), last_quote_attr.source, None, last_quote_attr.cue_lemma,
                                       "continuation", [i for i, _ in sq], last_quote_attr.role,
                                       continues=last_quote_attr))
                last_quote_attr = out[-1]
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
