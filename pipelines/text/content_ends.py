"""Attribution stage 3b, where reported content ends: the clause boundaries after a frame's cue at which
what was reported stops and another clause (the author's, or the main clause) takes over.

Each boundary is one rule, kept as data: when it applies to a frame (`applies`: the sentence, the
source's tokens, the cue's last token, the content) and which token opens the clause that ends the
content (`opens`). `clause_end` cuts the content at the first such token inside it, rule after rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.text.attribution_base import COORDINATORS, FINITE, PRONOUNS, _Sentence, _strip
from pipelines.text.content_span import _opens_clause
from pipelines.text.cue_finding import _is_noun_use
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Boundary:
    """One kind of clause boundary: `applies(st, source tokens, cue token, content)` says whether the
    frame can be cut by it; `opens(st, k)` whether token k opens the clause that ends the content."""

    example: str
    applies: Callable[[_Sentence, Span, int, Span], bool]
    opens: Callable[[_Sentence, int], bool]


def new_subject(st: _Sentence, k: int) -> bool:
    """Does token k open a clause with a subject of its own (`critics point to`, `the party has`, `she said`)?"""
    toks = st.tokens
    t = toks[k]
    if not (t.is_capitalised or t.lower in PRONOUNS or t.lower in section("determiners") or t.lower.endswith("s")):
        return False
    if _opens_clause(st, k):
        return True
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return (nxt is not None and nxt.is_word and nxt.text[0].islower() and t.lower not in section("determiners")
            and nxt.lower not in section("boundary") and nxt.lower not in section("determiners"))


# Most tokens between a subordinator and the subject phrase the frame reads (`while most of his rivals`).
MAX_SUBORDINATE_GAP = 3


def _in_subordinate(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    toks = st.tokens
    start = max((j + 1 for j in range(src_r[0]) if toks[j].text == "," and not st.inside[j]), default=0)
    first = next((j for j in range(start, src_r[0]) if toks[j].is_word), src_r[0])  # "In May, while X said …,"
    if first == src_r[0] - 2 and toks[first].lower in section("subordinator_adverbs"):
        first += 1  # "Even as she accused …"
    # the subordinator right before the subject, or before a quantity opening it ("while most of his rivals")
    return 0 < src_r[0] - first <= MAX_SUBORDINATE_GAP and toks[first].lower in section("subordinators")


def _main_clause_comma(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    return toks[k].text == "," and k + 1 < len(toks) and (
        _opens_clause(st, k + 1) or new_subject(st, k + 1) or any(t.lower in verb_forms() for t in toks[k + 2:k + 7]))


# Most tokens of an apposition's role before its relative clause (`Jo Hale, the official who announced …, said`).
MAX_ROLE_BEFORE_RELATIVE = 8


def _in_relative(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    toks = st.tokens
    a, b = src_r
    if not (a == b and toks[a].lower in {"who", "which"} and a > 0):
        return False
    if toks[a - 1].text == ",":
        return True
    # "Jo Hale, the official who announced the cuts, said …": a relative clause on the role of an apposition
    return toks[a - 1].is_word and any(toks[j].text == "," and not st.inside[j]
                                       for j in range(max(0, a - 1 - MAX_ROLE_BEFORE_RELATIVE), a - 1))


def _main_verb_comma(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    if toks[k].text != "," or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    return nxt.is_word and nxt.text[0].islower() and not nxt.lower.endswith("ing") \
        and (nxt.lower in verb_forms() or nxt.lower in FINITE or nxt.lower.endswith("ed"))


def _takes_object(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    toks = st.tokens
    start = next((j for j in range(cue_k + 1, len(toks)) if toks[j].start >= content[0]), None)
    return start is not None and toks[start].lower != "that" and not _opens_clause(st, start) and not st.inside[start]


def _second_verb(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    if toks[k].lower not in COORDINATORS or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    return nxt.text[0].islower() and (nxt.lower.endswith("ed") or nxt.lower in verb_forms()) and not _is_noun_use(toks, k + 1)


def _always(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    return True


def _but_new_clause(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    return toks[k].text == "," and k + 2 < len(toks) and toks[k + 1].lower == "but" and new_subject(st, k + 2)


def _comma_conjunction(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    return toks[k].text == "," and k + 1 < len(toks) and toks[k + 1].lower in section("content_enders")


SUBORDINATE = Boundary("While many lawyers opposed the rule, the party …: up to the main clause",
                       _in_subordinate, _main_clause_comma)
RELATIVE = Boundary("Mr. Lee, who estimated that a third were members, said …: up to the main verb",
                    _in_relative, _main_verb_comma)
OBJECT = Boundary("He denied the charges and accused her of lying: a plain object ends at a second verb",
                  _takes_object, _second_verb)
BUT = Boundary("Officials deny any link, but critics point to …: the author's contrast", _always, _but_new_clause)
OBJECT_COMMA = Boundary("Ryan endorsed Trump in June, but only after …: a plain object ends at a comma and a conjunction",
                        _takes_object, _comma_conjunction)

SEMICOLON = Boundary("The group was critical of A; Beijing had pressured B …: a new clause with its own subject",
                     _always, lambda st, k: st.tokens[k].text == ";" and k + 1 < len(st.tokens) and new_subject(st, k + 1))

def _in_restrictive_relative(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    toks = st.tokens
    a, b = src_r
    return a == b and toks[a].lower in {"who", "which", "that"} and a > 0 and toks[a - 1].is_word and not st.inside[a - 1]


def _main_verb_back(st: _Sentence, k: int) -> bool:
    toks = st.tokens
    t, prev = toks[k], toks[k - 1]
    if not (t.text[0].islower() and t.lower in FINITE) or not prev.is_word or prev.lower in section("boundary") \
            or prev.lower in PRONOUNS or prev.lower in section("skip"):
        return False  # "… and is costly", "who say they are", "… that was": no main verb coming back
    j = k - 1  # the reported clause's own verb must come before it
    while j >= 0 and not (toks[j].lower in verb_forms() and not st.inside[j]):
        if toks[j].text[0].islower() and toks[j].lower in FINITE and not st.inside[j]:
            return True
        j -= 1
    return False


RESTRICTIVE = Boundary("Republicans who agree that the prison should close were irritated …: up to the main verb",
                       _in_restrictive_relative, _main_verb_back)


def _inserted_participle(st: _Sentence, src_r: Span, cue_k: int, content: Span) -> bool:
    toks = st.tokens
    return toks[cue_k].lower.endswith("ing") and cue_k > 0 and toks[cue_k - 1].text == ","


INSERTED = Boundary("Salceda, citing State Department data, said …: an inserted participle ends at the main verb",
                    _inserted_participle, _main_verb_comma)

# The boundaries that end reported (unquoted) content after its cue, in the order they cut.
REPORTED_ENDS = (SUBORDINATE, RELATIVE, RESTRICTIVE, OBJECT, BUT, OBJECT_COMMA, SEMICOLON, INSERTED)


def clause_end(text: str, st: _Sentence, src_r: Span, cue_k: int, content: Span,
               boundaries: tuple[Boundary, ...] = REPORTED_ENDS) -> Span:
    """The content cut at the first token after the cue, inside it, that opens a clause ending it."""
    toks = st.tokens
    for rule in boundaries:
        if not rule.applies(st, src_r, cue_k, content):
            continue
        for k in range(cue_k + 1, len(toks)):
            if content[0] < toks[k].start and toks[k].end < content[1] and not st.inside[k] and rule.opens(st, k):
                content = _strip(text, content[0], toks[k].start)
                break
    return content
