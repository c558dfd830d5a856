"""Attribution stage 1, cue finding: which words of a sentence, outside quotation marks, are attribution
cues (`said`, `according to`, `declined to`): reporting-verb forms from the lexicon, read as verbs and
not nouns or passives, and words the annotated data says are usually cues (`cue_model.py`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipelines.text import cue_model, lexicon
from pipelines.text.attribution_base import (
    CALENDAR_WORDS,
    CONTRACTED_SUBJECTS,
    FINITE,
    PASSIVE_AUX,
    PROGRESSIVE,
    PRONOUNS,
    QUANTIFIER_SUBJECTS,
    RELATIVE_SUBJECTS,
    TIME_NOUNS,
    _Sentence,
    skip_back,
)
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.tokens import Token

# Conjunctions that may open a clause before its subject (`But few believe …`).
CLAUSE_OPENERS = section("clause_conjunctions")
# Prepositions and subordinators before a participle whose subject is its clause's (`by saying`, `while insisting`).
PARTICIPLE_OPENERS = section("participle_openers")
# Words between a passive cue and the speech participle that shows its subject speaks
# (`was quoted in the Herald newspaper saying`).
MAX_PARTICIPLE_GAP = 8


def _is_noun_use(tokens: list[Token], k: int) -> bool:
    """`the claims`, `his statement`, `Pakistan’s warning`, `Orlando attacks were`: a noun, not a verb."""
    if k == 0:
        return False
    if tokens[k].lower.endswith("s") and k + 1 < len(tokens) and tokens[k + 1].lower in FINITE \
            and tokens[k + 1].lower not in {"did", "does", "do"}:
        return True  # a plural noun followed by its own verb
    prev = tokens[k - 1]
    if k >= 2 and tokens[k - 2].lower in section("determiners") and prev.is_word and not prev.lower.endswith("s") \
            and prev.lower not in PRONOUNS and prev.lower not in section("number_words") \
            and verb_forms().get(tokens[k].lower, ("",))[0] == tokens[k].lower and not _plural_subject_end(tokens, k):
        return True  # "a Sunday tweet", "the two-paragraph mention": a base form after a determiner and a modifier
    if prev.lower in QUANTIFIER_SUBJECTS and (k == 1 or not tokens[k - 2].is_word or (
            tokens[k - 2].lower in CLAUSE_OPENERS and (k == 2 or not tokens[k - 3].is_word))):
        return False  # "Some believe …", "But few say …": the quantifier is the subject
    if _attributive_participle(tokens, k) or _reduced_passive(tokens, k):
        return True
    if k >= 2 and tokens[k - 2].lower in {"in", "of"} and (prev.text[0].isdigit() or prev.lower in section("number_words")):
        return False  # "one in three said": the number ends the subject, it determines nothing
    return prev.lower in section("determiners") or prev.text.endswith(("’s", "'s")) and tokens[k].lower.endswith("s")


# Prepositions whose object may end a plural subject (`voters in each state say`, `observers around the country say`).
_SUBJECT_PP = frozenset(section("np_prepositions") | {"throughout", "outside", "inside", "near"})
# Plurals without -s that head a subject (`the women say`; `-men` covers `congressmen`, `businessmen`).
_IRREGULAR_PLURALS = frozenset({"people", "children", "police", "clergy", "folk"})


def _plural_subject_end(tokens: list[Token], k: int) -> bool:
    """Does the phrase `determiner + word` before the base form at token k end a plural subject, so that the
    base form is its verb (`the women say`, `voters in each state want`, `people across the country
    believe`) rather than a noun it modifies (`a Sunday tweet`)? Noun-like cues (`the party plan`) stay nouns."""
    prev = tokens[k - 1].lower
    if prev in _IRREGULAR_PLURALS or (prev.endswith("men") and len(prev) > 3):
        return True
    if tokens[k - 2].lower == "those" and prev.endswith("ed"):
        return True  # "those surveyed say", "those polled believe": the people the participle describes
    if k < 3 or tokens[k - 3].lower not in _SUBJECT_PP or not tokens[k - 3].text[0].islower():
        return False
    if tokens[k].lower in section("noun_like_cues") or k + 1 >= len(tokens):
        return False
    return tokens[k + 1].is_word or tokens[k + 1].text in {":", "“", "\""}


# Most words between `with` and the participle of an absolute construction (`with 47 percent of voters saying`).
MAX_WITH_SUBJECT = 7


def with_absolute(st: _Sentence, k: int) -> tuple[int, int] | None:
    """`…, with polls showing …`, `with Sen. X calling it …`: token range of the phrase between `with` and the
    participle at token k, which is its subject; None if token k is not in such a construction."""
    toks = st.tokens
    for j in range(k - 1, max(-1, k - MAX_WITH_SUBJECT - 2), -1):
        t = toks[j]
        if st.inside[j]:
            return None
        if t.lower == "with":
            return (j + 1, k - 1) if j + 1 < k and (j == 0 or toks[j - 1].text == ",") else None
        if not (t.is_word or t.text in {"%", "."}) or (t.text[0].islower() and t.lower.endswith("ing")):
            return None
    return None


def _attributive_participle(tokens: list[Token], k: int) -> bool:
    """`270 pledged delegates`, `the leadership’s repeated refusal`, `its own recommended list`: a participle
    between a number, a possessive or `own` and the lower-case noun it describes."""
    t, prev = tokens[k], tokens[k - 1]
    if not t.lower.endswith("ed") or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    if not (nxt.is_word and nxt.text[0].islower()) or nxt.lower in section("boundary") | section("determiners") \
            or nxt.lower in {"that", "to"} or nxt.lower.endswith("ly"):
        return False
    return prev.text[0].isdigit() or prev.text.endswith(("’s", "'s")) or prev.lower == "own"


def _reduced_passive(tokens: list[Token], k: int) -> bool:
    """`a program called Safe Streets`, `a contractor accused of spying`: a participle describing the noun
    before it (which names or accuses it), not a report of that noun's."""
    t = tokens[k]
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is None:
        return False
    if t.lower in section("passive_before_of") and nxt.lower == "of":
        return True
    if t.lower not in section("naming_participles") or not (nxt.is_capitalised or nxt.text in "“\"‘'"
                                                            or nxt.lower == "the"):
        return False
    # an indefinite noun phrase before it: "a program", "an anti-war group"
    noun = tokens[k - 1]
    speakers = lexicon.words("speaker_nouns") | lexicon.words("role_nouns") | lexicon.words("anonymous_sources")
    return any(tokens[j].lower in {"a", "an"} for j in range(max(0, k - 4), k - 1)) and noun.is_word \
        and noun.text[0].islower() and noun.lower not in PRONOUNS and noun.lower not in speakers \
        and noun.lower.rstrip("s") not in speakers  # "a spokesman called the claims absurd" reports


def forms_class(lemma: str) -> str:
    """speech, belief or intent: the class of a cue lemma."""
    return lexicon.table("reporting_verbs").get(lemma, ("speech",))[0]


@cache
def _verb_subject_nouns() -> frozenset[str]:
    """Nouns after which a word that is also a noun (`state`, `reports`) reads as a verb."""
    return lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources") | lexicon.words("document_nouns")


def _progressive_before(toks: list[Token], k: int) -> bool:
    """Is the `-ing` form at token k a progressive (`were urging`, `is also saying`, `are increasingly admitting`,
    `was not saying`, `isn't saying`, `He's not saying`)? Adverbs between the auxiliary and the form are stepped over."""
    j = k - 1
    while j > 0 and toks[j].text[0].islower() and (toks[j].lower in _PROGRESSIVE_ADVERBS
                                                   or (toks[j].lower.endswith("ly") and len(toks[j].lower) > 4)):
        j -= 1
    if j < 0:
        return False
    low = toks[j].lower.replace("’", "'")
    if low.endswith("n't") and low[:-3] in PROGRESSIVE:
        return True  # "isn't saying", "weren't demanding"
    if low.endswith(("'s", "'re")) and low.rsplit("'", 1)[0] in PRONOUNS:
        return True  # "He's not saying", "they're insisting": a pronoun and its contracted auxiliary
    return toks[j].lower in PROGRESSIVE


# Adverbs between a progressive's auxiliary and its `-ing` form (`is also saying`, `are still insisting`).
_PROGRESSIVE_ADVERBS = frozenset({"also", "not", "still", "now", "already", "again", "even", "just", "never",
                                  "always", "once", "further", "openly", "n't", "n’t"})


def _verb_position(toks: list[Token], k: int) -> bool:
    """For a word that is also a noun (`state`, `reports`): is it right after a plausible subject?"""
    if k == 0:
        return False
    prev = toks[k - 1]
    if prev.lower in PRONOUNS or prev.lower in section("skip") or prev.lower.endswith(("n’t", "n't")):
        return True  # "he claims", "may claim", "cannot claim", "shouldn't claim": a verb after its auxiliary
    if k >= 2 and prev.text[0].islower() and prev.lower.endswith("ly") and len(prev.lower) > 4:
        return _verb_position(toks, k - 1)  # "They generally agree", "Economists widely agree"
    if prev.lower in _verb_subject_nouns():
        return True
    if (prev.lower in CALENDAR_WORDS or prev.lower in TIME_NOUNS) and k + 1 < len(toks) and _object_opens(toks[k + 1]):
        return True  # "A poll out this week shows Clinton ahead", "a survey released Monday finds that …"
    if prev.text[0].islower() and prev.lower.endswith("s") and prev.lower not in _NOT_PLURAL_NOUNS and k + 1 < len(toks) \
            and (toks[k + 1].lower == "that" or toks[k + 1].lower in {"he", "she", "they", "we", "the"}):
        return True  # "environmentalists worry that …", "analyses agree the top 1 percent …": subject, verb, clause
    if prev.text[0].islower() and prev.lower.endswith("s") and prev.lower not in _NOT_PLURAL_NOUNS and k + 1 < len(toks) \
            and verb_forms().get(toks[k].lower, ("",))[0] == toks[k].lower and _object_opens(toks[k + 1]) \
            and not toks[k + 1].lower.endswith(("’s", "'s")):
        return True  # "media outlets estimate Trump needs …", "news outlets call the race": a plural and its verb
    if prev.lower in RELATIVE_SUBJECTS:
        return True  # "experts, who worry that …", "the study, which notes that …": a relative clause's verb
    if prev.text == "," and k + 1 < len(toks) and (toks[k + 1].lower in section("determiners")
                                                   or toks[k + 1].lower in {"for", "on", "it", "him", "her", "them"}
                                                   or (toks[k + 1].is_capitalised and k + 2 < len(toks)
                                                       and toks[k + 2].text[0].islower())):
        return True  # "Jan Brewer, an early supporter, calls the issue …", "A poll, conducted by X, shows Hale ahead"
    from pipelines.text.gazetteer import demonyms

    return prev.is_capitalised and prev.text not in demonyms() and not prev.text.endswith(("’s", "'s")) \
        and not (k == 1 and prev.lower in CLAUSE_OPENERS)  # "But state officials say": the conjunction is no subject


# Words in -s before a noun-like cue that are no plural subject (`his`, `its`, `was`).
_NOT_PLURAL_NOUNS = frozenset({"his", "its", "this", "was", "is", "has", "does", "as", "us", "yes", "less", "thus", "plus"})


@cache
def _cue_words() -> frozenset[str]:
    """The first word of every cue: a sentence with none of them has no cue."""
    return frozenset({max(f.split(), key=len) for f in verb_forms()}
                     | {max(c.split(), key=len) for c in lexicon.words("multiword_cues")})


@cache
def _cue_openers() -> frozenset[str]:
    """The first word of every lexicon cue form (`said`, `called` of `called for`, `according`)."""
    return frozenset({f.split()[0] for f in verb_forms()} | {c.split()[0] for c in lexicon.words("multiword_cues")})


@lru_cache(maxsize=2)
def _with_learned(generation: int) -> tuple[frozenset[str], frozenset[str]]:
    """`_cue_words()` and `_cue_openers()`, each with the learned cue forms (of one generation of the
    learned table): one set to look in, not two."""
    learnable = cue_model.candidates()
    return _cue_words() | learnable, _cue_openers() | learnable


_LOWER_WORDS = re.compile(r"[a-z]+")


def _find_cues(st: _Sentence) -> list[tuple[int, int, str, str]]:
    """(first token, last token, lemma, form) of each cue outside quotation marks, in order."""
    words = _LOWER_WORDS.findall(st.text[st.s.start:st.s.end].lower())
    cue_words, openers = _with_learned(cue_model.TABLE.generation)
    if cue_words.isdisjoint(words):
        return []
    forms = verb_forms()
    toks = st.tokens
    out, learned = [], []
    k = 0  # the next token a cue may start at (past the cue just read)
    for at in [j for j, t in enumerate(toks) if t.lower in openers]:  # other words open no cue
        if at < k:
            continue
        k = at
        low = toks[k].lower
        if st.inside[k] or not toks[k].is_word:
            continue
        nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
        two = f"{low} {nxt}"
        if two in lexicon.words("multiword_cues") or (k + 2 < len(toks) and f"{two} {toks[k + 2].lower}" in lexicon.words("multiword_cues")):
            span = 2 if two in lexicon.words("multiword_cues") else 3
            out.append((k, k + span - 1, " ".join(t.lower for t in toks[k:k + span]), "according"))
            k += span
            continue
        if two in forms and not _is_noun_use(toks, k):
            if not _passive(toks, k):  # "Texas was called for Cruz": a passive, not a call
                out.append((k, k + 1, forms[two][0], two))
            k += 2
            continue
        initial_inverted = k == 0 and toks[k].text[0].isupper() and k + 1 < len(toks) and toks[k + 1].is_capitalised
        if low in forms and _questioner_passive(toks, k, forms[low][0]):
            out.append((k, k + 1, forms[low][0], QUESTIONER_PASSIVE))  # "When asked by a reporter whether …"
            k += 2
            continue
        if low in forms and (toks[k].text[0].islower() or initial_inverted) and not _is_noun_use(toks, k):
            prev = toks[k - 1].lower if k else ""
            lemma = forms[low][0]
            if noun_like_noun(toks, k):
                k += 1
                continue
            if _passive(toks, k):
                if _agent_passive(toks, k, lemma):
                    out.append((k, k + 1, lemma, AGENT_PASSIVE))  # "The move was first reported by Politico"
                    k += 2
                    continue
                k += 1
                continue  # passive: "was told", "is believed"
            if low.endswith("ing") and prev != "," and not _progressive_before(toks, k) and \
                    prev.replace("’", "'") not in CONTRACTED_SUBJECTS and with_absolute(st, k) is None \
                    and not prepositional_participle(toks, k) and not document_participle(toks, k):
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


def noun_like_noun(toks: list[Token], k: int) -> bool:
    """Is the word at token k a cue that is also a noun (`state`, `reports`, `claim`), read here as the noun
    (`a former state legislator`, `the reports that`), not in a verb's position?"""
    low = toks[k].lower
    lemma = verb_forms().get(low, ("",))[0]
    return lemma in section("noun_like_cues") and low in (lemma, lemma + "s", lemma + "es") and (
        not (_verb_position(toks, k) or _subject_pronoun_after(toks, k) or _object_pronoun_after(toks, k))
        or _relative_after(toks, k) or _noun_follows(toks, k)
        or (k + 1 < len(toks) and toks[k + 1].lower.rstrip(".") in lexicon.words("person_titles")))  # "state Rep. X"


def prepositional_participle(toks: list[Token], k: int) -> bool:
    """`X rallied thousands by promising …`, `… drew boos upon saying …`, `…, while insisting that …`: a
    participle after a preposition or subordinator inside the sentence, whose subject is its clause's
    (`After saying …, she …` at the start is `added_frames._opening_participle_frame`'s). Something must
    follow it (`in writing - whatever …`, `in writing.`: a noun after its preposition, nothing reported)."""
    return k >= 2 and toks[k - 1].lower in PARTICIPLE_OPENERS and toks[k - 1].text[0].islower() \
        and toks[k].text[0].islower() and k + 1 < len(toks) and (toks[k + 1].is_word or toks[k + 1].text in ",:“\"")


def document_participle(toks: list[Token], k: int) -> bool:
    """`released a statement saying …`, `polls showing her behind`, `an ad calling it …`: a speech participle
    right after a document noun, whose report it is (a reduced relative clause), with something after it."""
    if k < 1 or k + 1 >= len(toks):
        return False
    noun, form = toks[k - 1], verb_forms().get(toks[k].lower)
    nouns = lexicon.words("document_nouns")
    return form is not None and form[1] == "speech" and noun.is_word and noun.text[0].islower() \
        and (noun.lower in nouns or noun.lower[:-1] in nouns) and (toks[k + 1].is_word or toks[k + 1].text in ":“\"")


# The form given to a passive speech cue with its agent (`was first reported by X`): read by `frame_reading`.
AGENT_PASSIVE = "passive by"
# The form given to `asked by X whether …` (the one who asks speaks; the question is the content): `frame_reading`.
QUESTIONER_PASSIVE = "asked by"
# Words opening the question after `asked by X` (`whether`, `if`, `about`, `to respond`); hand-compiled.
QUESTION_OPENERS = section("question_openers")
# Most tokens of the asker's phrase and a time phrase after it (`by Fox Business moderator Gerard Baker on Thursday`).
MAX_ASKER_TOKENS = 10


def _questioner_passive(toks: list[Token], k: int, lemma: str) -> bool:
    """`When asked by a reporter whether …`, `Asked by Ms Hale if …`, `X was asked by the host about …`: `ask` in the
    passive with `by` and the asker, then the question (opened by a word of QUESTION_OPENERS)."""
    if lemma != "ask" or toks[k].lower != "asked" or k + 2 >= len(toks) or toks[k + 1].lower != "by":
        return False
    return question_after(toks, k + 2) is not None


def question_after(toks: list[Token], k: int) -> int | None:
    """The token opening the question after the asker's phrase starting at token k, or None."""
    for j in range(k + 1, min(len(toks), k + MAX_ASKER_TOKENS + 1)):
        t = toks[j]
        if not t.is_word:
            return None
        if t.lower in QUESTION_OPENERS and t.text[0].islower():
            return j
    return None


def _agent_passive(toks: list[Token], k: int, lemma: str) -> bool:
    """`The move was hotly criticized by economists`, `The story was first reported by Politico`: a passive speech
    verb after its auxiliary with `by` and the one who spoke; not verbs whose subject is the addressee (`was asked
    by X`, `was told by`), nor a participle describing a noun (`a book written by`)."""
    if k + 2 >= len(toks) or toks[k + 1].lower != "by" or forms_class(lemma) != "speech" or lemma in section("object_cues"):
        return False
    return any(toks[m].lower in PASSIVE_AUX for m in range(skip_back(toks, k - 1) + 1, k))


def _subject_pronoun_after(toks: list[Token], k: int) -> bool:
    """`records from the 2008 cycle show he backed …`: a subject pronoun and its verb after the word make it a verb."""
    return k + 2 < len(toks) and toks[k + 1].lower in {"he", "she", "they", "we"} and toks[k + 2].is_word \
        and toks[k + 2].text[0].islower() and toks[k + 2].lower not in section("boundary") | section("determiners")


def _object_opens(t: Token) -> bool:
    """Can `t` open a verb's object or clause (`the`, a name, a number, `him`, `he`)? Not `that`, which also
    opens a noun's relative clause (`the late-night shows that mock him`)."""
    return (t.lower in section("determiners") and t.lower != "that") or t.lower in section("object_pronouns") \
        or t.lower in PRONOUNS or t.is_capitalised or t.text[0].isdigit()


def _object_pronoun_after(toks: list[Token], k: int) -> bool:
    """`A video of the rally shows him …`, `The minister’s office calls it …`: an object pronoun after the word
    makes it a verb (a noun takes none); not after `to`, whose base forms have their own rule."""
    return k > 0 and k + 1 < len(toks) and toks[k + 1].lower in section("object_pronouns") and toks[k - 1].lower != "to"


def _noun_follows(toks: list[Token], k: int) -> bool:
    """`in Democratic states, like Illinois`, `Sunday interview shows amid reports`: after a capitalised
    modifier, what follows a noun rather than a verb of saying."""
    if k + 1 >= len(toks) or k == 0 or not toks[k - 1].is_capitalised:
        return False
    nxt = toks[k + 1]
    return nxt.text in {",", ";", ")"} or nxt.lower in {"like", "such", "amid", "where", "across", "including"}


def _relative_after(toks: list[Token], k: int) -> bool:
    """`Rust Belt states that have lost jobs`: the noun's relative clause (`that` and a verb), not `states that …`."""
    return k + 2 < len(toks) and toks[k + 1].lower == "that" and toks[k + 2].lower in FINITE


# Words after an inserted participle of a cue whose object is the addressee (`asked about`, `told of`) that show it
# has no object of its own: a passive (`X, asked whether …, said`), not `X, asked the minister whether …`.
_ADDRESSEE_NEXT = section("addressee_next")


def _passive(toks: list[Token], k: int) -> bool:
    """Is the participle at token k a passive (`was told`, `is believed`, `was first reported by`)?"""
    if k == 0 or not toks[k].lower.endswith(("ed", "told", "said", "thought", "known", "found", "shown", "written")):
        return False
    if k + 1 < len(toks) and toks[k + 1].lower == "by":
        return True  # "a book written by", "a fact first reported by": a passive participle
    if toks[k - 1].text == "," and k + 1 < len(toks) and toks[k + 1].lower in _ADDRESSEE_NEXT \
            and verb_forms().get(toks[k].lower, ("",))[0] in section("object_cues"):
        return True  # "X, asked about the remark, said …", "X, told of the vote, …": X was asked, and asked nothing
    aux = toks[skip_back(toks, k - 1)].lower
    return toks[k - 1].lower in PASSIVE_AUX or aux in PASSIVE_AUX


def _learned_cue(st: _Sentence, k: int) -> bool:
    """A lower-case word outside the lexicon that the annotated data says is usually a cue here
    (`declined to`, `referring to`): see `cue_model.py`."""
    toks = st.tokens
    t = toks[k]
    if t.lower not in cue_model.candidates() or not t.text[0].islower() or t.lower in verb_forms() or t.lower.endswith("ly") \
            or t.lower in section("evidential_verbs") or _is_noun_use(toks, k) or (_passive(toks, k) and not _speaker_passive(st, k)):
        return False
    if k + 1 < len(toks) and toks[k + 1].lower in section("subordinators"):
        return False  # `cheered when the state was called`: an adverbial clause, no reported content
    j = skip_back(toks, k - 1)
    if j >= 0 and toks[j].lower == "there":
        return False  # `There have been suggestions …`: an existential `there` is nobody
    return cue_model.probability(toks, k, True in st.inside) >= cue_model.MIN_PROBABILITY


def _speaker_passive(st: _Sentence, k: int) -> bool:
    """`was quoted in the Herald saying …`, `was heard telling …`: a passive whose subject is the speaker
    (a verb of `[speaker_passives]`), as a speech participle soon after it shows."""
    if st.tokens[k].lower not in section("speaker_passives"):
        return False
    forms = verb_forms()
    for j in range(k + 1, min(len(st.tokens), k + 1 + MAX_PARTICIPLE_GAP)):
        t = st.tokens[j]
        if st.inside[j] or t.text in ".;“\"":
            return False
        if t.lower.endswith("ing") and forms.get(t.lower, ("", ""))[1] == "speech":
            return True
    return False


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
