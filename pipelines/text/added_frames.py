"""Attribution per sentence, the frames a sentence adds to its main one: clauses added by the same speaker
(`…, adding that …`, `… and said …`, `…, but warning that …`), a new speaker joined by a clause joiner
(`…, while critics argued …`, `…; critics say …`), and a speech participle opening the sentence
(`Noting that turnout was low, Tester said …`). `frame_reading.py` finds the main frame and calls these.
"""

from __future__ import annotations

from pipelines.text import cue_model
from pipelines.text.attribution_base import (
    COORDINATORS,
    FINITE,
    INTERJECTED,
    PRONOUNS,
    Attribution,
    _Sentence,
    _span,
    _strip,
    before_adverbs,
    before_verb_group,
    skip_back,
)
from pipelines.text.clause_subjects import MAX_BARE_SUBJECT, _bare_subject, _opener_comma, _opening_participle
from pipelines.text.content_span import _opens_clause
from pipelines.text.cue_finding import _is_noun_use, _learned_cue, _lemma
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.source_choice import _apposition, _np_left
from pipelines.text.tokens import Token

# Most words of a main clause's subject after an opening participle phrase (`…, the senator from Ohio said`).
MAX_MAIN_SUBJECT = 8
# Particles of a phrasal cue before its `that` clause (`pointing out that`, `summed up that`).
PARTICLES = frozenset({"out", "up"})
# Marks that join a new speaker's clause to reported content with no joining word (`…, he claimed they had
# never met`, `…: a poll this month found …`, `… — critics say …`).
SPLICE_MARKS = frozenset({",", ":", "—", "–"})
WRITER_READER = section("writer_reader_pronouns")  # `I`, `you`: they open no new speaker's clause
BASE_FORM_PRONOUNS = section("base_form_pronouns")  # `they say`, `I think`
PARTICIPLE_OPENERS = section("participle_openers")  # `After saying …`, `While insisting that …`
# Fewest words of reported content before such a mark for it to end that content: a shorter phrase is an
# opener of the reported clause itself (`X said that in 2010, Democrats argued …`).
MIN_SPLICED_WORDS = 4


def _opening_participle_frame(text: str, st: _Sentence) -> Attribution | None:
    """`Noting that turnout was low, Tester said …`: a speech or belief participle opening the sentence
    with a clause reports that clause (up to the comma closing it); the subject of the main clause after
    the comma is its speaker."""
    toks = st.tokens
    v = 1 if toks and toks[0].lower in PARTICIPLE_OPENERS else 0  # "After saying …, she …"
    # after an opener, a lower-case participle (a capitalised word names someone: `After Reading, …`)
    if len(toks) < 6 + v or not toks[v].lower.endswith("ing") or not (
            _opening_participle(toks[0]) if v == 0 else toks[1].text[0].islower()):
        return None
    known = verb_forms().get(toks[v].lower)
    if known is None or known[1] not in {"speech", "belief"}:
        return None
    comma = _opener_comma(st, v + 1, len(toks))
    that = toks[v + 1].lower == "that"
    if comma is None or not ((that and _opens_clause(st, v + 2)) or _opens_clause(st, v + 1)):
        return None
    j = comma + 1
    while j < len(toks) and (not toks[j].is_word or toks[j].lower in INTERJECTED):
        j += 1  # the closing mark after `“…,”`, `though,`
    src_r = _main_subject(st, j)
    if src_r is None:
        return None
    a = toks[v + 2].start if that else toks[v + 1].start
    content = _strip(text, a, toks[comma].start, trail=" ,;—–-\n")
    if content[1] - content[0] < 3:
        return None
    return Attribution(st.s.sentence_no, content, _span(toks, src_r), (toks[v].start, toks[v].end), known[0],
                       "reported", [i for i, q in st.quotes if content[0] <= q.start < content[1]])


def _main_subject(st: _Sentence, j: int) -> tuple[int, int] | None:
    """The subject phrase starting at token j, as far as the verb that follows it (`Tester said`,
    `the senator from Ohio told`, `he warned`), or None."""
    toks = st.tokens
    if j >= len(toks):
        return None
    if toks[j].lower in PRONOUNS:
        return (j, j)
    for m in range(j + 1, min(len(toks), j + MAX_MAIN_SUBJECT + 1)):
        t = toks[m]
        if st.inside[m] or not t.is_word:
            if t.text != "," or m == j + 1:
                continue
            app = _apposition(st, m)  # "David Axelrod, who was …, said"
            return None if app is None else (j, app[0][1]) if app[0][0] == j else None
        if t.text[0].islower() and (t.lower in FINITE or t.lower in verb_forms() or t.lower.endswith("ed")):
            r = _np_left(st, skip_back(toks, m - 1))
            return r if r is not None and r[0] == j else None
    return None


def _added_cue(st: _Sentence, k: int, base_main: bool = False) -> tuple[str, int] | None:
    """(lemma, first token of the joining words) when token k opens a clause adding to the main frame:
    a speech participle after a comma (`…, adding that …`) or a finite cue joined by `and`/`but` with the
    same subject (`… and said …`, `…, but thinks …`; a base form only after a main cue in its base form,
    `base_main`: `Critics fear that … and warn that …`)."""
    toks = st.tokens
    t = toks[k]
    if st.inside[k] or not t.text[0].islower():
        return None
    forms = verb_forms()
    if t.lower.endswith("ing") and toks[k - 1].text == ",":
        lemma = _speech_participle(st, k)  # "…, adding that …", "…, promising to campaign in every state"
        return (lemma, k - 1) if lemma else None
    if t.lower.endswith("ing") and _comma_in_closing_quote(toks, k - 1):
        lemma = _speech_participle(st, k)  # "called it “a disgrace,” adding that …": the comma inside the marks
        return (lemma, k) if lemma else None
    base = forms[t.lower][0] == t.lower if t.lower in forms else not t.lower.endswith(("ed", "s", "ing"))
    # "and also said", "but later told", "and has said", "but did not recommend": adverbs and an auxiliary
    j, aux = before_verb_group(toks, k, base) if not t.lower.endswith("ing") else (before_adverbs(toks, k - 1), False)
    if toks[j].lower not in COORDINATORS or _is_noun_use(toks, k):
        return None
    if t.lower.endswith("ing"):  # "by calling him X and accusing him of …", "…, but warning that …"
        lemma = _speech_participle(st, k)
        return (lemma, j) if lemma and k + 1 < len(toks) and toks[k + 1].is_word else None
    quote_after_comma = k + 2 < len(toks) and toks[k + 1].text == "," and toks[k + 2].text in "“\"‘'"
    noun_of = toks[k + 1].lower == "of" and not t.lower.endswith("ed") if k + 1 < len(toks) else False
    if k + 1 >= len(toks) or noun_of or not (toks[k + 1].is_word or toks[k + 1].text in ":“\"‘'" or quote_after_comma):
        return None  # "… and claims of momentum", "… and denials.": a noun, not a second verb ("and warned of": a verb)
    joint = j - 1 if j > 0 and toks[j - 1].text == "," else j
    if t.lower in forms and (t.lower != forms[t.lower][0] or aux):
        return forms[t.lower][0], joint  # a finite form: its own tense, or an auxiliary before a base form
    if t.lower in forms and base_main and toks[k + 1].lower == "that":
        return forms[t.lower][0], joint  # "Critics fear that … and warn that …": a base form after a base form
    if _learned_cue(st, k):
        return (_lemma(t.lower) if t.lower.endswith("ed") else t.lower), joint
    return None


def _comma_in_closing_quote(toks: list[Token], k: int) -> bool:
    """Is token k a closing quotation mark right after a comma (`…,”`, American style)?"""
    return k >= 1 and toks[k].text in "”\"’'" and toks[k - 1].text == ","


def _speech_participle(st: _Sentence, k: int) -> str | None:
    """The lemma of the participle at k when it adds a report: a speech verb of the lexicon, or a word
    outside it that the cue model reads as a cue (`promising`); None otherwise."""
    word = st.tokens[k].lower
    known = verb_forms().get(word)
    if known is None:
        return word if _learned_cue(st, k) else None
    return known[0] if known[1] == "speech" else None


def _joined_subject(st: _Sentence, k: int) -> tuple[tuple[int, int], int, bool] | None:
    """(subject tokens, first token of the joining words, joined by a bare mark) for `…, and the unions said …`,
    `…, while critics argued …`, `…; critics say …`, `…, he claimed …`: a finite lexicon cue whose own subject
    follows a clause joiner or a splicing mark."""
    toks = st.tokens
    t = toks[k]
    forms = verb_forms()
    if st.inside[k] or not t.text[0].islower() or t.lower not in forms or t.lower.endswith("ing") or _is_noun_use(toks, k):
        return None
    np = _np_left(st, skip_back(toks, k - 1))
    if np is None or (np[0] > 0 and toks[np[0] - 1].lower not in section("clause_joiners")
                      and toks[np[0] - 1].text not in SPLICE_MARKS):
        np = _bare_joined(st, k) or np  # "…, and about half said": `half` alone is not the phrase
    if np is None or np[0] == 0:
        return None
    j = np[0] - 1
    comma = j > 0 and toks[j - 1].text == ","
    spliced = toks[j].text in SPLICE_MARKS and not st.inside[j] and _new_speaker(toks, np)
    comma = comma and not spliced
    if not spliced and (toks[j].lower not in section("clause_joiners")
                        or (toks[j].lower not in COORDINATORS and toks[j].text != ";" and not comma)):
        return None
    if t.lower == forms[t.lower][0] and not _plural_subject(toks, np):
        return None  # "… and say": a base form needs a subject it agrees with (`they say`, `critics say`)
    return np, (j - 1 if comma else j), spliced


def _bare_joined(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`…, and more than 4 in 10 said …`, `…, while only a third said …`: a quantity or bare plural subject right
    after a clause joiner (read as `_bare_subject` reads one opening a sentence)."""
    toks = st.tokens
    end = skip_back(toks, k - 1)
    for m in range(end - 1, max(-1, end - MAX_BARE_SUBJECT - 1), -1):
        if st.inside[m]:
            return None
        if toks[m].lower in section("clause_joiners"):
            return _bare_subject(st, end, start=m + 1) if m > 0 and toks[m - 1].text == "," else None
    return None


def _new_speaker(toks: list[Token], np: tuple[int, int]) -> bool:
    """Does the phrase open a clause of its own after a bare comma (a name, a subject pronoun, a determiner
    phrase, a quantity: `he`, `Sanders`, `a poll this month`, `30 percent`), rather than continue a list or an
    apposition?"""
    first = toks[np[0]]
    return (first.lower in section("pronoun_subjects") and first.lower not in WRITER_READER) or first.is_capitalised \
        or first.lower in section("determiners") or first.text[0].isdigit() or first.lower in section("number_words")


def _plural_subject(toks: list[Token], np: tuple[int, int]) -> bool:
    """Does the subject take a base-form verb (`they`, `we`, `critics`, `the unions`)?"""
    head = toks[np[1]].lower
    return head in BASE_FORM_PRONOUNS or (head.endswith("s") and not head.endswith(("ss", "'s", "’s")))


def _added_clauses(text: str, st: _Sentence, main: Attribution, after_k: int) -> list[Attribution]:
    """`…, X said, adding that …` / `X said … but said …`: cues after the main frame that report more
    from the same speaker; each content stops where the next added clause begins."""
    toks = st.tokens
    out: list[Attribution] = []
    prev = main
    forms, learnable = verb_forms(), cue_model.candidates()
    cue_word = text[main.cue[0]:main.cue[1]].lower() if main.cue else ""
    base_main = cue_word in forms and cue_word == forms[cue_word][0]  # "fear", "warn", not "fears", "said"
    for k in range(after_k + 1, len(toks) - 1):
        if toks[k].text == ";" and not st.inside[k]:
            break  # "X was critical of A; Beijing pressured B, saying …": a new clause, its own subject
        if toks[k].lower not in forms and toks[k].lower not in learnable:
            continue  # neither a lexicon nor a learned cue: no added clause starts here (most words)
        added = _added_cue(st, k, base_main)
        source, role = main.source, main.role
        spliced = False
        if added is None:
            joined = _joined_subject(st, k)
            if joined is None:
                continue
            np, joint, spliced = joined
            added = (verb_forms()[toks[k].lower][0], joint)
            source, role = _span(toks, np), None
        lemma, joint = added
        t = toks[k]
        j = k + 1 if toks[k + 1].lower in PARTICLES and k + 2 < len(toks) and toks[k + 2].lower == "that" else k
        cue_end = toks[j].end  # "pointing out that …": the particle belongs to the cue
        a = toks[j + 1].end if toks[j + 1].lower == "that" else t.end
        a, b = _strip(text, a, st.s.end, trail=" ,;—–-\n.")
        for _, q in st.quotes:
            b = max(b, q.end) if q.start >= a else b
        whole = [q for _, q in st.quotes if q.open_mark == a and q.close_mark is not None
                 and not text[q.close_mark + 1:b].strip(" .,;!?”\"’'")]
        if whole:  # "… and said, “…”": the quotation itself, without its marks
            a, b = whole[0].start, whole[0].end
        inside = prev.content[0] < toks[joint].start < prev.content[1]
        if inside and spliced and len(st.words_between(prev.content[0], toks[joint].start)) < MIN_SPLICED_WORDS:
            continue
        ends_there = prev.content[1] <= toks[joint].start and not text[prev.content[1]:toks[joint].start].strip(" ,")
        after_frame = prev is main and main.cue is not None and main.content[1] <= main.cue[0] < toks[joint].start
        if b - a < 3 or not (inside or ends_there or after_frame):
            continue  # "… the content already ends there", "“…,” X said, adding …": nothing to cut
        if inside:
            prev.content = _strip(text, prev.content[0], toks[joint].start)
            prev.quotes[:] = [i for i in prev.quotes if _quote_in(st, i, prev.content)]
        prev = Attribution(main.sentence_no, (a, b), source, (t.start, cue_end), lemma, "reported",
                           [i for i, q in st.quotes if a <= q.start < b], role)
        out.append(prev)
    return out


def _quote_in(st: _Sentence, index: int, span: tuple[int, int]) -> bool:
    """Does quote `index` of this sentence start inside `span`?"""
    return st.quote_starts_in(index, span)
