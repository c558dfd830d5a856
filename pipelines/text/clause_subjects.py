"""Attribution stage 2b, subjects found from the start of the clause holding a cue, rather than read
leftwards from it: the subject of a participle or coordinated cue (`X did Y, saying …`, `… but said …`),
of a purpose infinitive (`X went on air to warn …`), and a bare or quantity subject alone at the clause's
start (`But opponents say`, `About four in 10 said`); with the opening phrases skipped before it
(`In April,`, `Hours later,`, `Speaking on Sunday,`, `Even though …,`).
"""

from __future__ import annotations

from functools import cache

from pipelines.text import lexicon
from pipelines.text.attribution_base import CALENDAR_WORDS, FINITE, PRONOUNS, _Sentence, skip_back
from pipelines.text.frame_words import section
from pipelines.text.source_choice import (
    NP_PREPOSITIONS,
    OPENERS,
    _discourse_opener,
    _np_left,
    _speaker_noun,
    _subject_nouns,
)
from pipelines.text.tokens import Token


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
    while j < to_k and toks[j].lower in OPENERS:
        j += 1
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
        if end < j or not toks[end].is_capitalised or toks[j].lower in section("adverbial") or toks[j].lower.endswith("ing"):
            return None  # "Using a crude expression to describe …": a participle, not a name
        if toks[end].lower in section("determiners"):  # "The peers voted … to say": the noun after it
            end += 1
            if end >= to_k or not toks[end].is_word or not toks[end].text[0].islower():
                return None
        while end + 1 < to_k and toks[end + 1].text[0].islower() and _speaker_noun(toks[end + 1].lower, _subject_nouns()):
            end += 1  # "Democratic voters are more likely to say": the noun the adjective opens, not a verb
    verb = toks[end + 1] if end + 1 < to_k else None
    if verb is None or not verb.text[0].islower() or verb.lower in section("boundary"):
        return None
    return (j, end)


# Words that make a clause's opening phrase a time (`Hours later,`, `Eight years ago,`, `Shortly after …,`).
TIME_OPENERS = frozenset({"ago", "later", "earlier", "shortly", "hours", "minutes", "moments", "days", "weeks",
                          "months", "years", "after", "before", "since", "during"})
MAX_TIME_OPENER_WORDS = 6


def _time_opener(st: _Sentence, j: int, cue_k: int) -> bool:
    """Does a time phrase open the clause at token j, up to a comma (`Hours later, Trump …`)?"""
    toks = st.tokens
    first = toks[j].lower
    if not (first in TIME_OPENERS or first in CALENDAR_WORDS or first in section("time_phrase")
            or first in section("number_words") or first in section("determiners") or toks[j].text[0].isdigit()):
        return False  # "Beijing had earlier pressured …, saying": a subject, not a time phrase
    for m in range(j, min(cue_k, j + MAX_TIME_OPENER_WORDS + 1)):
        if toks[m].text == "," and not st.inside[m]:
            if any(toks[i].lower in TIME_OPENERS and _past_verb(toks[i + 1]) for i in range(j, m - 1)):
                return False  # "The nurse later sued, claiming …": the time word modifies the clause's verb
            return m > j and any(t.lower in TIME_OPENERS or t.lower in CALENDAR_WORDS for t in toks[j:m])
    return False


def _past_verb(t: Token) -> bool:
    """Is `t` a lower-case past tense (`sued`, `began`)?"""
    return t.is_word and t.text[0].islower() and (t.lower.endswith("ed") or t.lower in section("irregular_past"))


def _opening_participle(t: Token) -> bool:
    """`Speaking on Sunday, …`, `Asked about it, …`: a participle opening the sentence before its subject."""
    return t.is_capitalised and t.lower.endswith(("ing", "ed")) and len(t.lower) > 4


def _participle_phrase(st: _Sentence, j: int, k: int) -> bool:
    """Does a participle phrase open the clause at token j, up to a comma before token k, with no finite verb
    in it (`Speaking on Sunday, …`; not `Beijing had pressured …, saying`)?"""
    toks = st.tokens
    if not _opening_participle(toks[j]):
        return False
    comma = _opener_comma(st, j, k)
    return comma is not None and not any(t.lower in FINITE for t in toks[j + 1:comma])


def _opener_comma(st: _Sentence, j: int, k: int) -> int | None:
    """The comma closing an opening phrase that starts at token j, before token k: outside quotation marks,
    or the last character inside one (`On ABC’s “This Week,” Carson …`)."""
    toks = st.tokens
    for c in range(j, k):
        if toks[c].text == "," and (not st.inside[c] or (c + 1 < k and toks[c + 1].text in "”\"’'")):
            return c
    return None


# Most tokens of a dateline before its dash (`BUENA PARK, Calif. -`, `WASHINGTON, Dec. 8 (UPI) —`).
MAX_DATELINE = 10


def _after_dateline(st: _Sentence, j: int, k: int) -> int:
    """Token j, or the first token after a dateline opening there (a place in capitals up to a dash)."""
    toks = st.tokens
    if j >= k or not (toks[j].text.isupper() and len(toks[j].text) > 1 and toks[j].is_word):
        return j
    for c in range(j + 1, min(k, j + MAX_DATELINE)):
        if toks[c].text in {"—", "–", "-", "--"} and not st.inside[c]:
            return c + 1
    return j


def _after_place(st: _Sentence, j: int, k: int) -> int:
    """Token j, or the token after a state or country closing an opening phrase (`in Beaumont, Tex., Mr. Trump`)."""
    toks = st.tokens
    end = j + 1 if j + 1 < k and toks[j + 1].text == "." else j  # "Tex" "."
    if end + 1 >= k or toks[end + 1].text != "," or not toks[j].is_word:
        return j
    word = toks[j].text
    return end + 2 if word in _place_words() or word + "." in _place_words() else j


@cache
def _place_words() -> frozenset[str]:
    """States and countries as they close a place phrase: `Tex.`, `N.H.`, `NH`, `Ohio`, `France`."""
    from pipelines.text.gazetteer import places

    codes = {c.upper() for c in lexicon.table("us_state_codes")}
    return lexicon.words("state_abbreviations", case_sensitive=True) | codes | places()


def _opening_adverb(toks: list[Token], j: int) -> bool:
    """`Here in Columbia,`, `Back in 1999,`, `Hastily politicizing …,`: an adverb opening the sentence (not a
    name in -ly: `Carly Fiorina`, `Kelly said`)."""
    t = toks[j]
    if not t.is_capitalised:
        return False
    if t.lower in section("opening_adverbs"):
        return True
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return t.lower.endswith("ly") and len(t.lower) > 4 and t.lower not in lexicon.table("first_names") \
        and nxt is not None and not nxt.is_capitalised and nxt.lower not in FINITE and not nxt.lower.endswith(("ed", "s"))


# Most opening phrases read past before a participle's subject (`In a debate, while X …, Trump …, noting`).
MAX_OPENERS = 3


def _clause_subject(st: _Sentence, cue_k: int) -> tuple[int, int] | None:
    """For `…, saying …`: the subject at the start of the clause holding the cue."""
    toks = st.tokens
    j = _clause_start(st, cue_k, ";:")
    while j < cue_k and (not toks[j].is_word or st.inside[j] or toks[j].lower in OPENERS
                         or (_discourse_opener(toks[j]) and j + 1 < cue_k and toks[j + 1].text == ",")):
        j += 1  # "Still, Sanders …", "And he …", "Instead, the senator …": the subject follows the opening word
    j = _after_dateline(st, j, cue_k)
    for _ in range(MAX_OPENERS):
        if not (j < cue_k and (toks[j].lower in section("adverbial") | section("boundary") | section("subordinators")
                               or _time_opener(st, j, cue_k) or _participle_phrase(st, j, cue_k) or _opening_adverb(toks, j))):
            break
        # "In April 2004, X stood …", "Speaking on ABC’s “This Week,” X admitted …", "In May, while …, X …":
        # the subject follows the opening phrases
        comma = _opener_comma(st, j, cue_k)
        if comma is None:
            return None
        j = _after_place(st, comma + 1, cue_k)
        while j < cue_k and not toks[j].is_word:
            j += 1  # the closing mark after `“This Week,”`
    end = j
    titles = lexicon.words("person_titles")
    while end + 1 < cue_k and (toks[end + 1].is_capitalised or toks[end + 1].lower in section("modifiers")
                               or toks[end + 1].lower in titles) and not toks[end].text.endswith(("’s", "'s")):
        end += 1
    if j >= cue_k or not (toks[j].is_capitalised or toks[j].lower in PRONOUNS or toks[j].lower in section("determiners")):
        return None
    if toks[j].lower in section("determiners") and end == j:
        # "The government signed a deal, committing to …", "One of the farmers, Tom Hill, had sold … and said"
        return _described_subject(st, j, cue_k) or _apposed_subject(st, j, cue_k)
    if toks[j].lower in section("boundary"):
        return None
    if toks[j].lower in {"it", "there"} and end == j and j + 1 < cue_k and toks[j + 1].lower in {"was", "is", "’s", "'s"}:
        return _inner_subject(st, j, cue_k)  # "It was a potent punch, as Mrs. Clinton echoed it, saying …"
    return (j, end)


# Words after which a clause with its own subject opens inside a sentence whose subject is `it` or `there`.
_INNER_CLAUSE = frozenset({"as", "while", "when", "that", "after", "because"})


def _inner_subject(st: _Sentence, j: int, cue_k: int) -> tuple[int, int] | None:
    """For a participle whose sentence opens with an empty `it` or `there` (`It was at the conference that
    Swanson delivered a tirade, pointing …`): the name or pronoun opening the nearest inner clause, if any."""
    toks = st.tokens
    for m in range(cue_k - 2, j, -1):
        if toks[m].lower not in _INNER_CLAUSE or st.inside[m]:
            continue
        n = m + 1
        if not (toks[n].is_capitalised or toks[n].lower in PRONOUNS) or toks[n].lower in {"it", "there"}:
            return None
        e = n
        while e + 1 < cue_k and toks[e + 1].is_capitalised:
            e += 1
        return (n, e) if e + 1 < cue_k and toks[e + 1].is_word and toks[e + 1].text[0].islower() else None
    return None


# Most words a subject phrase may have when it is accepted with no known head noun, because it is all that
# opens the clause (`But opponents say`, `About four in 10 said`); longer phrases hold more than a subject.
MAX_BARE_SUBJECT = 6
# Words a quantity subject may hold inside it (`one in three`, `half of voters`).
_QUANTITY_LINKS = frozenset({"in", "of"})


def _bare_subject(st: _Sentence, k: int, start: int | None = None) -> tuple[int, int] | None:
    """The phrase from the clause's start (or token `start`, after a clause joiner) to token k, for a finite cue
    whose subject names no known kind of speaker (`But opponents say`, `Social conservatives say`, `About four
    in 10 said`): accepted when it is short, holds no verb, boundary word or quotation, and ends in a plural
    noun or a number."""
    toks = st.tokens
    if k < 0 or st.inside[k] or not toks[k].is_word:
        return None
    j = _clause_start(st, k + 1, ";:") if start is None else start
    while j < k and (not toks[j].is_word or toks[j].lower in OPENERS or _discourse_opener(toks[j])):
        j += 1  # "But opponents say", "Instead, critics argue"
    start = j
    while j < k and toks[j].lower in section("approximators"):
        j += 1  # "About four in 10 said", "More than half say": the approximation belongs to the number
    if j == start < k and (toks[j].lower in section("adverbial") | section("boundary") or _time_opener(st, j, k)
                           or _participle_phrase(st, j, k)):
        comma = _opener_comma(st, j, k)
        if comma is None:
            return None
        start = j = comma + 1  # "In Iowa, farmers say": the subject follows the opening phrase
    phrase = range(j, k + 1)
    if not 0 < k + 1 - start <= MAX_BARE_SUBJECT or any(st.inside[i] for i in phrase):
        return None
    # the head: the last word, or the plural noun before one preposition (`Some advocates for stem cell research`)
    prep = next((i for i in phrase if i > j and toks[i].lower in NP_PREPOSITIONS and _bare_head(toks[i - 1])), None)
    head_ok = _bare_head(toks[k]) if prep is None else all(_subject_word(toks[i]) for i in range(prep + 1, k + 1))
    if not head_ok or not all(_subject_word(toks[i]) for i in range(j, prep if prep is not None else k + 1)):
        return None
    return (start, k)


def _bare_head(t: Token) -> bool:
    """Can `t` end a subject phrase with no known head (a plural noun, a number)?"""
    if t.text[0].isdigit() or t.lower in section("number_words"):
        return True
    return t.text[0].islower() and t.lower.endswith("s") and not t.lower.endswith(("ss", "us", "is", "’s", "'s")) \
        and len(t.lower) > 3 and t.lower not in FINITE and t.lower not in section("skip") \
        and t.lower not in section("boundary") and t.lower not in section("determiners")


def _subject_word(t: Token) -> bool:
    """May `t` stand inside a bare subject phrase (no verb, no clause boundary)?"""
    if not t.is_word:
        return t.text in {"%", "-"}
    low = t.lower
    if low in _QUANTITY_LINKS:
        return True
    return low not in FINITE and low not in section("skip") and low not in section("boundary") \
        and low not in section("copulas") and low not in PRONOUNS and not low.endswith(("n’t", "n't"))


# Most tokens of a description opening a clause, before its verb (`One aide inside the campaign tried …, saying`).
MAX_DESCRIBED_SUBJECT = 8


def _described_subject(st: _Sentence, j: int, cue_k: int) -> tuple[int, int] | None:
    """A description opening the clause at token j, as far as the verb that follows it (adverbs between them
    stepped over: `The nurse later sued, claiming …`; an irregular past tense is a verb: `The senator began by …`)."""
    toks = st.tokens
    for m in range(j + 1, min(cue_k - 1, j + MAX_DESCRIBED_SUBJECT)):
        nxt = toks[m + 1]
        if st.inside[m + 1]:
            return None
        if _past_verb(nxt) or (nxt.is_word and nxt.text[0].islower() and nxt.lower in FINITE):
            r = _np_left(st, skip_back(toks, m))
            return r if r is not None and r[0] == j else None
    return None


# Most tokens between a clause's first word and the comma closing an apposition on its subject
# (`One of the farmers, Tom Hill, 64, had sold …`).
MAX_APPOSED_SUBJECT = 16


def _apposed_subject(st: _Sentence, j: int, cue_k: int) -> tuple[int, int] | None:
    """`One of the farmers, Tom Hill, had sold his land and said …`: a description opening the clause at token j
    with an apposition after it, up to its verb; the speaker the apposition chain names, or None."""
    from pipelines.text.source_choice import _apposition

    toks = st.tokens
    for m in range(j + 1, min(cue_k, j + MAX_APPOSED_SUBJECT)):
        if st.inside[m]:
            return None
        t = toks[m]
        if t.is_word and t.text[0].islower() and (t.lower in FINITE or t.lower.endswith("ed")):
            if toks[m - 1].text != ",":
                return None
            app = _apposition(st, m - 1)
            return app[0] if app is not None and app[0][0] >= j else None
    return None
