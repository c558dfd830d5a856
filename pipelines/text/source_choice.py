"""Attribution stage 2, source choice: the words naming the speaker of a cue, read leftwards (`Pakistan’s
military ruler said`), rightwards after an inverted cue (`said Jane Okafor, the council leader`),
or through apposition chains (`X, the …, said`). Subjects found from the start of the clause instead
(participles, purpose infinitives, bare subjects) are in `clause_subjects.py`.
"""

from __future__ import annotations

from functools import cache

from pipelines.text import lexicon
from pipelines.text.attribution_base import (
    CALENDAR_WORDS,
    CONTRACTED_SUBJECTS,
    DATE_PREPOSITIONS,
    FINITE,
    INTERJECTED,
    MAX_NP,
    PRONOUNS,
    QUANTIFIER_SUBJECTS,
    RELATIVE_SUBJECTS,
    TIME_NOUNS,
    _Sentence,
)
from pipelines.text.cue_finding import _is_noun_use, noun_like_noun
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.tokens import Token

OPENERS = section("sentence_openers")  # `Still, Sanders …`, `And he …`
NP_PREPOSITIONS = section("np_prepositions")  # `officials from both parties`


@cache
def _subject_nouns() -> frozenset[str]:
    """Nouns that can head a speaker description read leftwards (`the spokesman`, `the report`)."""
    return (lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("document_nouns")
            | lexicon.words("organisation_words"))


@cache
def _inverted_nouns() -> frozenset[str]:
    """Nouns that can head the speaker after an inverted cue (`said the spokesman`, `said Dr Lee`)."""
    return (lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("person_titles")
            | lexicon.words("document_nouns") | lexicon.words("organisation_words"))


def _ampersand(toks: list[Token], j: int) -> bool:
    """Is token j an `&` joining two capitalised words of one name (`P&G`, `Marks & Spencer`)?"""
    return toks[j].text == "&" and 0 < j < len(toks) - 1 and toks[j - 1].is_capitalised and toks[j + 1].is_capitalised


def _np_left(st: _Sentence, k: int) -> tuple[int, int] | None:
    """Token range (a, b) of the subject phrase ending at token k, or None."""
    toks = st.tokens
    if k < 0 or st.inside[k] or not (toks[k].is_word or toks[k].text == "%"):
        return None
    head = toks[k]
    access = _access_phrase(st, k)
    if access is not None:
        return access  # "a source close to him said", "people familiar with the talks say"
    if head.lower in PRONOUNS or head.lower in QUANTIFIER_SUBJECTS or head.lower in RELATIVE_SUBJECTS or \
            head.lower.replace("’", "'") in CONTRACTED_SUBJECTS:
        return (k, k)  # "he said", "some believe", "…, who said"
    boundary = section("boundary")
    modifiers = section("modifiers")
    determiners = section("determiners")
    titles = lexicon.words("person_titles")
    nouns = _subject_nouns()
    if head.lower in boundary or head.lower in determiners:
        return None
    if head.lower in section("subject_participles") and k >= 1 and toks[k - 1].is_word and not st.inside[k - 1]:
        inner = (k - 1, k - 1) if toks[k - 1].lower == "those" else _np_left(st, k - 1)
        return (inner[0], k) if inner is not None else None  # "voters polled said": the noun before the participle
    if head.lower in CALENDAR_WORDS and (k == 0 or not toks[k - 1].is_word or st.inside[k - 1]):
        return None  # "Wednesday added one more twist": a day is never a speaker
    if head.text == "%" and k >= 1 and toks[k - 1].text[0].isdigit():
        return (k - 1, k)  # "47% say"
    a = k
    if (head.text[0].isdigit() or head.lower in CALENDAR_WORDS) and k >= 2 and toks[k - 1].lower in DATE_PREPOSITIONS:
        return _np_left(st, k - 2)  # "an arbitration panel in 2001 found", "Ryan on Tuesday called": not the source
    if head.lower in CALENDAR_WORDS | TIME_NOUNS and k >= 1:
        j = _before_time_phrase(st, k)
        if j is not None and j < k - 1:
            return _np_left(st, j)  # "Gowdy earlier Thursday said", "the department two weeks ago said"
    if head.lower in CALENDAR_WORDS and k >= 2 and toks[k - 1].text[0].islower() and (
            toks[k - 1].lower.endswith("ed") or toks[k - 1].lower == "out"):
        return _np_left(st, k - 2)  # "A news report published Wednesday said", "a poll out Monday showed"
    if head.lower in CALENDAR_WORDS and k >= 1 and (toks[k - 1].is_capitalised or toks[k - 1].text == ","):
        return _np_left(st, k - 1 - (toks[k - 1].text == ","))  # "Jindal Monday signed", "Ryan, Tuesday, said"
    if head.is_capitalised or head.text[0].isdigit():
        # a name: capitalised words, connectors between them, titles, possessives, "(ACR)"
        j = k - 1
        role = False  # a role noun read before the name: the nouns qualifying it belong to it too
        while j >= 0 and k - j < MAX_NP and not st.inside[j]:
            t = toks[j]
            if t.text in "()" or (t.is_acronym and j > 0 and toks[j - 1].text == "("):
                j -= 1
                continue
            if _ampersand(toks, j):
                j -= 1  # "Marks & Spencer said"
                continue
            if not t.is_word or t.text in lexicon.words("non_entities", case_sensitive=True):
                break  # "But Fowler noted": the conjunction is not part of the name
            if not role and t.text[0].islower() and toks[j + 1].is_capitalised and (t.lower in lexicon.words("role_nouns")
                                                                                    or (t.lower in nouns and not t.lower.endswith("s"))):
                role = True  # "correspondent Richard Black", "entrepreneur Drayton Valentine": a role before the name
                a = j
                j -= 1
            elif t.is_capitalised or t.lower in titles or t.lower in modifiers or t.text.endswith(("’s", "'s")) or (
                    role and t.text[0].islower() and t.lower not in boundary and t.lower not in section("skip")
                    and t.lower not in verb_forms() and not t.lower.endswith(("ed", "ing"))):
                a = j  # "transport correspondent", "the party's health spokesman"
                j -= 1
            elif t.lower in {"of", "de", "bin", "al", "la", "van", "von"} and j > 0 and toks[j - 1].is_capitalised:
                j -= 1
            elif t.lower in determiners and t.lower != "that":  # "that Republicans think": `that` opens the clause
                a = j
                break
            else:
                break
        while a < k and toks[a].text in "()":
            a += 1
        described = _described_by_name(st, a)
        return (described, k) if described is not None else (_coordinated_name(st, a), k)
    # a description: "Pakistan’s military ruler", "powerful voices", "the CIA’s key expert",
    # "the top candidates of both parties", "elected officials from both parties"
    known_head = _speaker_noun(head.lower, nouns)
    j = k - 1
    determined = False
    while j >= 0 and k - j < MAX_NP and not st.inside[j] and (toks[j].is_word or _ampersand(toks, j)):
        t = toks[j]
        if t.text == "&":  # "one P&G employee said": the company's name qualifies the noun
            j -= 1
            continue
        if t.lower == "that" and head.lower.endswith("s") and not head.lower.endswith("ss"):
            break  # "It is clear that officials believe": before a plural `that` opens the clause (`those` determines)
        if t.lower in determiners or t.text.endswith(("’s", "'s")):
            determined = True
        if t.lower in determiners:
            a = j
            if j > 1 and toks[j - 1].lower in NP_PREPOSITIONS and _speaker_noun(toks[j - 2].lower, nouns):
                j -= 1  # "analysts at the bank": go on to the head before the preposition
                continue
            break
        if t.lower in {"and", "or"} and j > 0 and toks[j - 1].lower in modifiers and toks[j + 1].lower in modifiers:
            a = j  # "current and former officials"
            j -= 1
            continue
        if t.lower == "and" and j > 0 and _speaker_noun(toks[j - 1].lower, nouns) and toks[j - 1].text[0].islower():
            known_head = True  # "her advisers and allies": one description, coordinated
            a = j
            j -= 1
            continue
        if t.lower in NP_PREPOSITIONS and j > 0 and _speaker_noun(toks[j - 1].lower, nouns):
            known_head, determined = True, False  # the head is the speaker noun before the preposition
            a = j
            j -= 1
            continue
        if t.lower in {"and", "or"} and (prep := _first_conjunct(st, j)) is not None:
            a = j = prep  # "Experts on trade and farming": the preposition's objects are coordinated
            continue
        if t.lower in boundary or t.lower in section("skip"):
            break
        a = j
        j -= 1
    if not known_head and not (determined and sum(t.is_word for t in toks[a:k + 1]) <= 4):
        return None  # "the clip says", "Connecticut’s tax commissioner says"; not "the war had driven"
    if a > 0 and (toks[a - 1].lower == "not" or toks[a - 1].lower.endswith(("n’t", "n't"))):
        return None  # "did not return calls": an object after a negated verb, not a subject
    return (a, k)


# Most words of a restrictive relative clause between a subject and its cue (`Parents who lost their jobs said`).
MAX_RELATIVE_WORDS = 10


def relative_subject(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`Parents who lost their jobs said`, `Residents whose homes were flooded say`, `The report that was
    released on Tuesday says`: when a relative clause with no comma ends at token k, right before the cue,
    the subject is the phrase it describes (not the clause's last noun); its tokens, or None. `that` and
    `which` count only before a verb (`that was`, `which show`), so a clause they open is no relative one."""
    toks = st.tokens
    for r in range(k, max(0, k - MAX_RELATIVE_WORDS - 1), -1):
        t = toks[r]
        if st.inside[r] or not (t.is_word or t.text in {"%", "$"}):
            return None
        if r == k or r == 0:
            continue
        low = t.lower
        if low in {"who", "whose"} or (low in {"that", "which"} and _verb_word(toks[r + 1])):
            if toks[r - 1].lower in section("boundary") or (toks[r - 1].lower in verb_forms() and not _is_noun_use(toks, r - 1)):
                return None  # "said that …", "asked who …": a clause after a verb or preposition, not a relative
            return _np_left(st, r - 1)
    return None


def _verb_word(t: Token) -> bool:
    """Is `t` plainly a verb (`was`, `have`, `released`, `shows`)?"""
    low = t.lower
    return t.text[0].islower() and (low in FINITE or low in section("skip") or low.endswith("ed") or low in verb_forms())


# Most words after an access word (`familiar with the administration's thinking`).
MAX_ACCESS_WORDS = 5


def _access_phrase(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`a source close to him`, `people familiar with the talks`: a speaker noun described by its access,
    the phrase ending at token k; its tokens, or None."""
    toks = st.tokens
    for j in range(k - 1, max(0, k - MAX_ACCESS_WORDS - 2), -1):
        if st.inside[j] or not toks[j].is_word:
            return None
        if toks[j].lower in section("access_words") and toks[j + 1].lower in {"to", "with", "on", "in"}:
            if j > 0 and toks[j - 1].lower == "those" and not st.inside[j - 1]:
                return (j - 1, k)  # "Those close to him say", "those familiar with the plan said"
            inner = _np_left(st, j - 1)
            return (inner[0], k) if inner is not None else None
        if toks[j].lower == "knowledge" and toks[j + 1].lower == "of":
            w = j - 1 if j > 0 and toks[j - 1].lower == "with" else j - 2  # "with (direct) knowledge of"
            inner = _np_left(st, w - 1) if w > 0 and toks[w].lower == "with" else None
            return (inner[0], k) if inner is not None else None
    return None


def _described_by_name(st: _Sentence, a: int) -> int | None:
    """`Lawyers for Smith`, `analysts at Goldman Sachs`, `the chief executive of Barclays`: when the name
    opening at token a is the object of a preposition after a speaker noun, the first token of that
    description (the speaker is not Smith). After `of` only a role (`the head of the BBC`): a capitalised
    word before it belongs to the name (`Bank of England`)."""
    toks = st.tokens
    if a >= 2 and toks[a - 1].lower in {"and", "or"} and (prep := _first_conjunct(st, a - 1)) is not None:
        a = prep + 1  # "Spokesmen at the FBI and Justice Department": the description holds both names
    if a < 2 or st.inside[a - 1] or st.inside[a - 2] or toks[a - 1].lower not in NP_PREPOSITIONS:
        return None
    noun = toks[a - 2]
    if toks[a - 1].lower == "of":
        if not (noun.text[:1].islower() and noun.lower in lexicon.words("role_nouns")):
            return None
    elif not _speaker_noun(noun.lower, _subject_nouns()):
        return None
    inner = _np_left(st, a - 2)
    if inner is None or (toks[a - 1].lower == "of" and inner[0] > 0 and toks[inner[0] - 1].text == ","):
        return None  # "X, president of the Network,": an apposition; the name before it speaks
    return inner[0]


# Most words of the first of two coordinated objects of a speaker noun's preposition (`experts on North Korea and …`).
MAX_CONJUNCT = 4


def _first_conjunct(st: _Sentence, and_k: int) -> int | None:
    """`Experts on trade and farming`, `Spokesmen at the FBI and Justice Department`: when the `and`/`or` at
    token and_k joins two objects of a preposition after a lower-case speaker noun, the preposition's token, else
    None (`the party and the unions`, `won Ohio and Clinton`: no speaker noun and preposition before)."""
    toks = st.tokens
    nouns = _subject_nouns()
    for m in range(and_k - 1, max(0, and_k - 1 - MAX_CONJUNCT), -1):
        t = toks[m]
        if st.inside[m] or not (t.is_word or t.text == "&"):
            return None
        if t.lower in NP_PREPOSITIONS and m < and_k - 1:
            noun = toks[m - 1]
            common = noun.text[0].islower() or m == 1 or not toks[m - 2].is_word  # `Experts` opening the sentence
            return m if m > 0 and not st.inside[m - 1] and common and _speaker_noun(noun.lower, nouns) else None
        if t.lower in section("boundary") or t.lower in FINITE or t.lower in verb_forms():
            return None
    return None


def _coordinated_name(st: _Sentence, a: int) -> int:
    """`Smith and Jones said`, `Barclays and HSBC said`: the name opening at token a joined by `and` to a
    name that opens the clause (both speak); the first token of the pair, else a. A name after a verb is
    its object (`Sanders won Michigan and Clinton said`: Clinton speaks)."""
    toks = st.tokens
    if a < 2 or toks[a - 1].lower != "and" or st.inside[a - 1] or not toks[a - 2].is_capitalised or st.inside[a - 2]:
        return a
    left = _np_left(st, a - 2)
    if left is None or not toks[left[0]].is_capitalised:
        return a
    before = left[0] - 1
    opens = before < 0 or toks[before].text in ",;:—–(“\"" or toks[before].lower in OPENERS
    return left[0] if opens else a


def _before_time_phrase(st: _Sentence, k: int) -> int | None:
    """The token before the time phrase ending at token k (`earlier Thursday`, `less than two weeks ago`),
    skipping a participle that introduces it (`released in late August`); None if the phrase opens the sentence."""
    toks = st.tokens
    words = section("time_phrase") | CALENDAR_WORDS
    j = k
    while j >= 0 and not st.inside[j] and (toks[j].lower in words or toks[j].text[0].isdigit()):
        j -= 1
    if j >= 0 and toks[j].text[0].islower() and (toks[j].lower.endswith("ed") or toks[j].lower == "out") and j < k:
        j -= 1  # "a poll released in late August", "a poll out this week"
    return j if j >= 0 and toks[j].is_word and not st.inside[j] else None


def _speaker_noun(word: str, nouns: frozenset[str]) -> bool:
    """Can `word` head a description of a speaker (`officials`, `candidates`, `analysts`, `the campaign`)?"""
    return word in nouns or word[:-1] in nouns or word.endswith(("ers", "ists", "ians", "man", "men", "woman", "women"))


def _np_right(st: _Sentence, k: int) -> tuple[int, int] | None:
    """Token range of the phrase naming the speaker right after the cue (inverted order)."""
    toks = st.tokens
    if k >= len(toks) or st.inside[k] or not toks[k].is_word:
        return None
    if toks[k].lower in PRONOUNS:
        # "…, said she.": a subject pronoun; "as X put it:" has its object there, no inverted speaker
        return (k, k) if toks[k].lower not in {"it", "them", "him", "her", "us", "me", "you"} else None
    if toks[k].lower in CALENDAR_WORDS | TIME_NOUNS and not (k + 1 < len(toks) and toks[k + 1].lower in {"’s", "'s"}):
        return None  # "…, said Wednesday that …": a time, not an inverted speaker
    boundary = section("boundary")
    a = k
    b = None
    j = k
    nouns = _inverted_nouns()
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
    if b is None and toks[k].lower in {"the", "a", "an"}:
        b = _closing_description(st, k)
    return (a, b) if b is not None else None


# Most lower-case words of a description closing the sentence after an inverted cue (`said the 46-year-old.`).
MAX_CLOSING_DESCRIPTION = 3


def _closing_description(st: _Sentence, k: int) -> int | None:
    """`“…,” said the 46-year-old.`, `…, says a narrator.`, `said the designer, who …`: a determiner at token k
    and a few lower-case words that no list knows as a speaker, ending the sentence or followed by a comma: the
    last of them, or None (`said the next day`: a time)."""
    toks = st.tokens
    j = k + 1
    while j < len(toks) and j - k <= MAX_CLOSING_DESCRIPTION and not st.inside[j] and toks[j].is_word \
            and (toks[j].text[0].islower() or toks[j].text[0].isdigit()) and toks[j].lower not in section("boundary") \
            and toks[j].lower not in verb_forms() and toks[j].lower not in FINITE:
        j += 1
    if j == k + 1 or (j < len(toks) and toks[j].text not in {",", ".", "!", "?"}):
        return None
    last = toks[j - 1].lower
    if last in CALENDAR_WORDS or last in TIME_NOUNS or last in section("time_phrase") or last.endswith("ly"):
        return None
    return j - 1


def _is_separator(toks: list[Token], k: int, sep: str) -> bool:
    """Is token k the separator `sep` (a comma, or a dash written —, –, -- or a spaced -)?"""
    if sep == ",":
        return toks[k].text == ","
    return toks[k].text in "—–" or toks[k].text == "-"  # "-" alone is a spaced hyphen (` - `) or half of `--`


def _in_parens(toks: list[Token], start: int, k: int) -> bool:
    """Is token k inside a parenthesis opened at or after `start`?"""
    depth = 0
    for j in range(start, k):
        depth += toks[j].text == "("
        depth -= toks[j].text == ")"
    return depth > 0


def _discourse_opener(t: Token) -> bool:
    """A sentence adverb or conjunction that opens a clause (`Instead`, `But`, `Separately`, `Notably`)."""
    return t.lower in section("discourse_openers") or (t.lower.endswith("ly") and len(t.lower) > 4 and t.lower != "only")


# Lower-case words a name piece of an apposition may hold besides modifiers and titles (`Alabama party
# chairwoman Nancy Worley`); a piece with more is a clause or a description (`Even if the department …`).
MAX_NAME_COMMON_WORDS = 1
_NAME_CONNECTORS = frozenset({"of", "de", "da", "van", "von", "al", "bin", "la", "le", "the", "and", "for"})


def _ends_in_title(named: list[Token]) -> bool:
    """Does the piece end in a title (`the Prime Minister`), not a post-nominal one after a name
    (`Peter Ainsworth MP`)?"""
    titles = lexicon.words("person_titles")
    last = named[-1]
    if last.lower not in titles and last.lower.rstrip(".") not in titles:
        return False
    return not (last.text.isupper() and len(named) > 2 and named[-2].is_capitalised and named[-2].lower not in titles)


def _few_common_words(words: list[Token]) -> bool:
    titles = lexicon.words("person_titles")
    common = [t for t in words if t.text[0].islower() and t.lower not in _NAME_CONNECTORS
              and t.lower not in section("modifiers") and t.lower not in titles]
    return len(common) <= MAX_NAME_COMMON_WORDS


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
            b = k - 2 if toks[k].text == "-" and sep != "," and toks[k - 1].text == "-" else k - 1
            while b >= a and not toks[b].is_word and toks[b].text not in "()":
                b -= 1
            while a <= b and (not toks[a].is_word or (a < b and _discourse_opener(toks[a]))):
                a += 1  # "But the other candidate …": the opening conjunction is not part of the piece
            if a <= b and not (a == b and _discourse_opener(toks[a])):
                pieces.append((a, b))  # "Instead, the senator, …": a lone sentence adverb is not a piece
            a = k + 1
    if len(pieces) < 2:
        return None
    last_first = toks[pieces[-1][0]].lower
    relative = any(_relative_word(toks[pa]) for pa, _ in pieces[1:])
    if last_first in section("boundary") and not relative:
        return None  # "…, and the meeting deteriorated from there, said …": a clause, not an apposition
    in_relative = {k for pa, pb in pieces if _relative_word(toks[pa]) or _participle_piece(toks[pa]) or _passive_participle_piece(toks[pa])
                   for k in range(pa, pb + 1)}  # "X, who …, said", "X, citing data, said", "X, asked about it, said"
    for pa, pb in pieces[1:]:  # "X, a Republican who has met him and been mentioned as …, said": the role's relative clause
        rel = next((k for k in range(pa + 1, pb + 1) if _relative_word(toks[k])), None)
        if rel is not None:
            in_relative.update(range(rel, pb + 1))
    if any(toks[k].lower in verb_forms() and verb_forms()[toks[k].lower][1] == "speech" and not _is_noun_use(toks, k)
           and not noun_like_noun(toks, k)  # "X, a lawyer and former state legislator, said": `state` is a noun
           and toks[k - 1].lower not in NP_PREPOSITIONS  # "director of state campaigns": a noun, not a verb
           and not _attributive_gerund(toks, k)  # "a creative writing professor"
           for k in range(pieces[0][0], sep_k) if k not in in_relative and toks[k].text[0].islower()):
        return None  # another reporting verb in between (outside a relative clause): not a plain apposition
    first = toks[pieces[0][0]]
    opener = first.lower in section("boundary") or (first.lower.endswith("ing") and pieces[0][0] == 0)
    # "Speaking in Berea, Ohio, after the vote, Gov. John Kasich, said": after an opening phrase (which may hold
    # commas of its own) the name nearest the cue is the speaker
    for n in reversed(range(len(pieces))) if opener else range(len(pieces)):
        pa, pb = pieces[n]
        words = [t for t in toks[pa:pb + 1] if t.is_word]
        if n == 0 and toks[pb].is_capitalised and len(pieces) > 1 and _relative_word(toks[pieces[1][0]]):
            src = _np_left(st, pb)  # "It was then that Michael Bloomberg, who's …, said": the name ending the clause
            if src is not None and src[0] > pa and toks[src[0]].is_capitalised and toks[src[0] - 1].lower in {"that", "when"}:
                return src, src
        if not words or pb - pa > MAX_APPOSITION_PIECE or words[0].lower in section("adverbial") \
                or words[0].lower in CALENDAR_WORDS or words[0].lower in INTERJECTED:
            continue  # "Earlier Tuesday, his campaign manager, Jeff Weaver, says": a time, not a name
        named = [t for t in toks[pa:pb + 1] if t.is_word and not _in_parens(toks, pa, toks.index(t))]
        titles = lexicon.words("person_titles")
        lead = next((t for i, t in enumerate(words) if t.lower not in section("modifiers") and t.lower not in titles
                     and t.lower not in lexicon.words("role_nouns")
                     and not (i + 1 < len(words) and words[i + 1].lower.rstrip(".") in titles)),  # "state Rep. X"
                    words[0])  # "former Gov. X", "Former governor X"
        is_name = bool(named) and (lead.is_capitalised and lead.lower not in section("determiners")
                                   and not _ends_in_title(named) and _few_common_words(named))
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
            if _participle_piece(toks[role[0]]) or _passive_participle_piece(toks[role[0]]) or _relative_word(toks[role[0]]):
                role = src  # a clause about the speaker, not a role
            return src, role
    return _described_before_relative(st, pieces)


def _attributive_gerund(toks: list[Token], k: int) -> bool:
    """Is the `-ing` form at token k a modifier of the role noun after it (`a creative writing professor`, `a public
    speaking coach`), not a verb?"""
    return toks[k].lower.endswith("ing") and k + 1 < len(toks) and toks[k + 1].lower in lexicon.words("role_nouns")


# Most tokens of one piece of an apposition chain that can name the speaker.
MAX_APPOSITION_PIECE = 8


def _passive_participle_piece(t: Token) -> bool:
    """Does `t` open an inserted passive participle clause about the speaker (`, asked about the remark,`)?"""
    return t.text[0].islower() and t.lower.endswith("ed") and len(t.lower) > 4


def _participle_piece(t: Token) -> bool:
    """Does `t` open an inserted participle clause about the speaker (`, citing …,`, `, speaking …,`)?"""
    return t.text[0].islower() and t.lower.endswith("ing") and len(t.lower) > 4


DESCRIBING_OPENERS = section("describing_openers")  # `X, a former banker,`, `X, one of the signatories,`
IRREGULAR_PARTICIPLES = section("irregular_participles")  # `The aides, led by X, told`


def _describing_piece(toks: list[Token], piece: tuple[int, int]) -> bool:
    """Does the piece describe the phrase before it (`a former banker`, `one of the signatories`)?"""
    first = toks[piece[0]]
    return first.lower in DESCRIBING_OPENERS and (first.lower in {"a", "an", "the", "among"}
                                                  or (piece[0] < piece[1] and toks[piece[0] + 1].lower == "of"))


def _passive_piece(toks: list[Token], piece: tuple[int, int]) -> bool:
    """Does the piece open with a past participle and its preposition (`led by X`, `prepared for Y`)?"""
    first = toks[piece[0]]
    nxt = piece[0] + 1
    if nxt < piece[1] and toks[nxt].lower.endswith("ly") and toks[nxt].text[0].islower():
        nxt += 1  # "conducted jointly with X"
    return piece[0] < piece[1] and first.text[0].islower() and (first.lower.endswith("ed") or first.lower in IRREGULAR_PARTICIPLES) \
        and toks[nxt].lower in NP_PREPOSITIONS | {"by", "to"}


def _relative_word(t: Token) -> bool:
    """Does `t` open a relative clause (`who`, `which`, `whose`, `who's`)?"""
    return t.lower.replace("’", "'") in {"who", "whose", "which", "who's"}


def _described_before_relative(st: _Sentence, pieces: list[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """`The minister, who has long opposed the plan, said …`, `The coalition, which represents …, said`,
    `The minister, a former banker, said`, `An official, speaking on condition of anonymity, said`: a description (no name) whose relative clause or apposition
    sits between it and the cue is the speaker; the relative clause or apposition is not taken as a role."""
    toks = st.tokens
    rel = next((n for n in range(1, len(pieces)) if _relative_word(toks[pieces[n][0]]) or _participle_piece(toks[pieces[n][0]])
                or _passive_piece(toks, pieces[n]) or _passive_participle_piece(toks[pieces[n][0]])
                or (n == 1 and _describing_piece(toks, pieces[n]))), None)
    if rel is None:
        return None
    pa, pb = pieces[rel - 1]
    src = _np_left(st, pb)
    if src is None or src[0] != pa:
        src = (pa, pb) if _plain_phrase(st, pa, pb) else None
    if src is None:
        return None  # the piece before the relative clause is not a whole noun phrase
    return src, src


def _plain_phrase(st: _Sentence, a: int, b: int) -> bool:
    """Is tokens a..b a short phrase opened by a determiner or a capital, with no verb in it (`A projection by
    the consulting firm Oxford Economics`, `The novelist Mario Vargas Llosa`)?"""
    toks = st.tokens
    first = toks[a]
    if b - a + 1 > MAX_APPOSITION_PIECE or not (first.lower in section("determiners") or first.is_capitalised) \
            or first.lower in section("adverbial") or first.lower in NP_PREPOSITIONS or first.lower in section("boundary"):
        return False  # "In nearby Decatur, …": an opening phrase, not a speaker
    return all(t.is_word and t.lower not in FINITE and t.lower not in verb_forms() and not t.lower.endswith("ing")
               and (t.lower not in section("boundary") or t.lower in NP_PREPOSITIONS | {"by"}) for t in toks[a:b + 1])

