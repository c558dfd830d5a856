"""Attribution stage 3, content span: where what is attributed starts and ends around a frame: after `that`
or a colon, before an inverted frame, the quotation itself, never a trailing adverbial (`on Tuesday`).
"""

from __future__ import annotations

import re

from pipelines.text import lexicon
from pipelines.text.attribution_base import (
    CALENDAR_WORDS,
    CONTRACTED_SUBJECTS,
    COORDINATORS,
    FINITE,
    PRONOUNS,
    TIME_NOUNS,
    _full_quote_span,
    _next_word,
    _Sentence,
    _strip,
)
from pipelines.text.cue_finding import _is_noun_use, forms_class
from pipelines.text.cues import verb_forms
from pipelines.text.frame_words import section
from pipelines.text.tokens import Token

# Words before a frame in the middle or at the end of a sentence for them to be its content
# ("The harbour plan, Tom Reilly explained, was never costed"): fewer is usually an adverbial
# ("Later, she said …"). Cross-validated on PolNeAR: 3 (see docs/QUALITY.md).
MIN_LEAD_WORDS = 3
# Conjunctions that may open the words before a mid-sentence frame without being part of its content.
OPENING_CONJUNCTIONS = section("clause_conjunctions")


# Most words of a time phrase between a frame in the middle of a sentence and its comma (`last January`).
MAX_TIME_PHRASE = 4


def _time_phrase_end(st: _Sentence, frame_end: int) -> int:
    """The end of a time phrase right after a frame and before a comma (`Axelrod tweeted last January, “…”`,
    `he observed this week, …`), else `frame_end`."""
    words = []
    for t in st.tokens:
        if t.start < frame_end:
            continue
        if t.text == ",":
            break
        if not t.is_word or len(words) >= MAX_TIME_PHRASE or st.inside[st.tokens.index(t)]:
            return frame_end
        words.append(t)
    times = section("time_phrase") | CALENDAR_WORDS | TIME_NOUNS
    if words and all(w.lower in times or w.text[0].isdigit() or w.lower in {"on", "in", "at"} for w in words) \
            and any(w.lower not in {"on", "in", "at"} for w in words):
        return words[-1].end
    return frame_end


def _is_adverbial(words: list[Token], listed_cue: bool = True) -> bool:
    """`on Tuesday`, `in a statement`: a trailing adverbial, not content. After a cue of the lexicon
    (`listed_cue`) a determiner and a noun are its object (`found a gap`)."""
    if not words:
        return True
    if any(w.lower == "that" for w in words) or words[0].lower in PRONOUNS:
        return False  # `… that …`, `they said she could`: a reported clause
    if len(words) > 1 and words[1].lower in FINITE:
        return False  # `this is just a rough patch`: a subject and its verb, not `this week`
    if words[0].lower in WH_WORDS or words[0].lower in FINITE:
        return False  # `would not say who benefited`: an indirect question; `, he says, is different`: a predicate
    if _demonstrative_phrase_subject(words):
        return False  # `thought this court term would be different`: a subject and its verb, not `this week`
    if listed_cue and len(words) == 2 and words[0].lower in {"a", "an", "the"} and words[1].lower not in TIME_NOUNS | CALENDAR_WORDS:
        return False  # `auditors found a gap`: an object, not `the day`
    return words[0].lower in section("adverbial") or (len(words) <= 2 and not any(w.is_capitalised for w in words))


# Most words of a noun phrase opened by `this`/`these` before its verb (`this court term would`).
MAX_DEMONSTRATIVE_PHRASE = 4


def _demonstrative_phrase_subject(words: list[Token]) -> bool:
    """`this court term would be …`, `these new rules are …`: `this`/`these` and a noun phrase that is not a
    time (`this week`, `this summer`) followed by a finite verb, the subject of a reported clause."""
    if len(words) < 3 or words[0].lower not in {"this", "these"}:
        return False
    for n, w in enumerate(words[1:MAX_DEMONSTRATIVE_PHRASE + 2], start=1):
        if n == 1 and (w.lower in lexicon.words("time_nouns") or w.lower in CALENDAR_WORDS or not w.is_word):
            return False
        if w.lower in FINITE:
            return n > 1
        if not w.is_word or w.lower in section("boundary"):
            return False
    return False


def _content(text: str, st: _Sentence, frame: tuple[int, int], lemma: str, after_k: int, inverted: bool = False):
    """(content span, kind, quote ids) for a frame in this sentence, or (None, None, [])."""
    s = st.s
    if frame[0] > s.start and text[frame[0] - 2:frame[0]].strip() in {",", ",”", ",\"", "”", "\""}:
        frame = (frame[0], _time_phrase_end(st, frame[1]))  # "“…,” Axelrod tweeted last January, “…”"
    quotes_before = [(i, q) for i, q in st.quotes if q.end <= frame[0]]
    quotes_after = [(i, q) for i, q in st.quotes if q.start >= frame[1] and not _title_quote(text, st, frame, q)]
    after_words = st.words_between(frame[1], s.end)
    if inverted and _describes_speaker(text, frame[1], after_words):
        after_words = []  # "…, said Ms Okafor, who chairs the board.": the rest describes the speaker
    before_words = st.words_between(s.start, frame[0])
    after_has_quote_words = bool(quotes_after)
    intention = after_words[:1] and after_words[0].lower == "to" and (
        forms_class(lemma) == "intent" or _infinitive_follows(st, after_words[0]))
    toks = st.tokens
    participle = not inverted and 0 < after_k < len(toks) and toks[after_k].lower.endswith("ing") and toks[after_k - 1].text == ","
    # after a finite lexicon cue a short object is content (`found a gap`); a participle's is left to the
    # clause it is added to (`X tried to …, promising a raise`)
    listed = lemma in lexicon.table("reporting_verbs") and not participle
    adverbial_after = not after_has_quote_words and not intention and _is_adverbial(after_words, listed) \
        and not _demonstrative_subject(st, after_k + 1) \
        and not (lemma in RESPONSE_CUES and after_words[:1] and after_words[0].lower == "to" and _negated(st, after_k))
    skip_to = None
    if after_words and not quotes_after and not intention and (
            after_words[0].lower in section("adverbial") or lemma in section("object_cues")):
        skip_to = _after_adverbial(st, after_k + 1)  # `said in a statement on Thursday (that) they …`
        adverbial_after = adverbial_after and skip_to is None
    if quotes_before and quotes_after and not before_words[-1:] and not [w for w in after_words if w.start < quotes_after[0][1].open_mark]:
        a, b = _full_quote_span(quotes_before + quotes_after)
        return (a, b), "quote", [i for i, _ in quotes_before + quotes_after]
    if len(before_words) >= MIN_LEAD_WORDS and not participle and (_added_clause_follows(text, frame, after_words) or (
            lemma in section("object_cues") and _addressee_only(text, st, frame, after_k, after_words))):
        # "…, Spicer said, adding, “…”", "…, the minister told a Senate panel Wednesday.": content before the frame
        # "Ryan and Trump will meet, Spicer said, adding, “…”": the content is before the frame
        a, b = _before_content(text, st, frame)
        return (a, b), "quote" if quotes_before else "reported", [i for i, q in st.quotes if a <= q.start < b]
    next_tok = _next_word(st, after_k)
    rest = text[frame[1]:s.end].lstrip(" ,:\n")
    quote_follows = bool(quotes_after) and rest[:1] in "“\"‘'«"
    lead_words = st.words_between(s.start, quotes_before[0][1].open_mark) if quotes_before else []
    if quotes_before and not quote_follows and next_tok not in {"that", ":"} and (len(lead_words) <= 2 or inverted) \
            and not _after_subordinator(text, before_words, frame):
        # `“…,” X said (, the …)`: what follows the frame is the author's, the content comes before it
        return _before_content(text, st, frame), "quote", [i for i, _ in quotes_before]
    if quotes_after or (after_words and not adverbial_after):
        a = frame[1]
        toks = st.tokens
        # X told Y that …: skip to "that" when it comes soon
        k = after_k + 1
        if skip_to is not None:
            a = toks[skip_to].start
        elif k < len(toks) and not st.inside[k] and (toks[k].lower == "that" or toks[k].text in ":,"):
            a = toks[k].end
        elif lemma in section("object_cues") or (k < len(toks) and toks[k].lower == "to"
                                                 and lemma in lexicon.table("reporting_verbs")):  # "said to reporters that"
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
        if before_words and (len(before_words) >= MIN_LEAD_WORDS or _short_subject(before_words, after_words)) \
                and text[frame[0] - 2:frame[0]].strip() == "," and not quotes_after \
                and text[frame[1]:s.end].lstrip()[:1] == ",":
            return _around_content(text, st, frame, before_words, (a, b))
        return (a, b), "reported" if not quotes_after else "quote", [i for i, q in st.quotes if a <= q.start < b]
    set_off = text[frame[0] - 2:frame[0]].strip() == ","  # "…, records show.": what comes before is a clause
    if set_off and after_words and not quotes_before and _opening_phrase(before_words):
        if lemma in section("needs_clause"):
            return None, None, []
        a, b = _strip(text, frame[1], s.end, trail=" ,;—–-\n.")  # "In a statement, the minister called for calm."
        return ((a, b), "reported", []) if b - a >= 3 else (None, None, [])
    if len(before_words) >= MIN_LEAD_WORDS and not participle and (lemma not in section("needs_clause") or quotes_before or set_off):
        a, b = _before_content(text, st, frame)
        return (a, b), "reported", [i for i, q in st.quotes if a <= q.start < b]
    return None, None, []


# Cues whose object after `to` is what they answer when negated (`did not respond to a request for comment`: the
# annotators mark the non-answer), not an adverbial (`responded to the crowd with a wave`).
RESPONSE_CUES = frozenset({"respond", "reply"})


def _negated(st: _Sentence, k: int) -> bool:
    """Is the verb at token k negated (`did not respond`, `didn't immediately reply`, `never responded`)?"""
    toks = st.tokens
    return any(t.lower in {"not", "never"} or t.lower.endswith(("n't", "n’t")) for t in toks[max(0, k - 3):k])


# Prepositions that open a phrase before the subject (`In her statement condemning the attack, the minister …`).
OPENING_PREPOSITIONS = frozenset({"in", "on", "at", "after", "before", "during", "with", "from", "by", "for", "over",
                                  "under", "into", "about", "against", "without", "between", "through", "since",
                                  "despite", "amid", "following", "like", "unlike"})


def _opening_phrase(words: list[Token]) -> bool:
    """Are the words before a frame set off by a comma a prepositional phrase with no finite verb (`After the
    vote on the bill`, `In her statement condemning the attack`), which is no reported clause when the cue has
    words of its own after it (`…, the minister called for calm.`), unlike `The plan will fail, critics say`?"""
    return words[0].lower in OPENING_PREPOSITIONS and not any(w.lower in FINITE or w.lower in _SUBJECT_PRONOUNS
                                                              for w in words[1:])


_SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they"})


def _after_subordinator(text: str, before_words: list[Token], frame: tuple[int, int]) -> bool:
    """Does a subordinator open the frame's clause (`…,” X said, after the moderator said …`)? Its content
    is what follows, never the quotation before."""
    return bool(before_words) and before_words[-1].lower in section("subordinators") \
        and not text[before_words[-1].end:frame[0]].strip()


# Most words an adverbial between a cue and its content may have (`said in a statement on Thursday
# night that …`); longer, it is more likely the content itself.
MAX_ADVERBIAL_WORDS = 8


# Pronouns that can only be subjects: one right before a lower-case word opens a clause.
NOMINATIVE = frozenset({"he", "she", "they", "we", "i"})
# Words that open an indirect question (`asked why`, `shows how`).
WH_WORDS = frozenset({"how", "why", "what", "whether", "where", "when", "who", "which", "if"})


def _after_adverbial(st: _Sentence, k: int) -> int | None:
    """For an adverbial right after the cue (token k opens it): the first token of the reported clause
    after it, when one follows (`that …`, or a subject and its verb), else None (`he said on Tuesday.`)."""
    toks = st.tokens
    for j in range(k + 1, min(len(toks), k + MAX_ADVERBIAL_WORDS + 1)):
        t = toks[j]
        if st.inside[j] or t.text in ";:" or t.text in "“\"‘'":
            return None
        if t.lower == "that":
            return j + 1 if j + 1 < len(toks) else None
        if t.lower in WH_WORDS and j + 1 < len(toks) and toks[j + 1].is_word:
            # "shows in detail how companies …": an indirect question; not ", which surprised many"
            return j if toks[j - 1].text != "," else None
        if toks[j - 1].text == "," and t.text[0].islower() and (t.lower in FINITE or t.lower in verb_forms()) \
                and not _is_noun_use(toks, j):
            return None  # "who wrote to the board, said …": the main verb comes back after a comma: no adverbial
        prev = toks[j - 1].lower
        subject = t.lower in PRONOUNS or _contracted(t) or (t.is_capitalised and not toks[j - 1].is_capitalised)
        described = t.lower in section("determiners") and _finite_follows(st, j)  # "said Tuesday his actions were …"
        if (subject or described) and prev not in section("boundary") and prev not in section("determiners") \
                and prev != "," and _opens_clause(st, j):
            return j
    return None


def _finite_follows(st: _Sentence, j: int) -> bool:
    """Does a finite verb (`is`, `were`, `would`) follow token j within a subject's length, before a boundary?
    (`his actions were`, not `the debate focused on`)"""
    toks = st.tokens
    for m in range(j + 1, min(len(toks), j + MAX_ADVERBIAL_WORDS)):
        if toks[m].lower in FINITE:
            return True
        if not toks[m].is_word or toks[m].lower in section("boundary"):
            return False
    return False


def _describes_speaker(text: str, frame_end: int, after_words: list) -> bool:
    """After an inverted frame (`…, said X`): does the rest open with a comma and a relative clause or an
    apposition (`, who chairs …`, `, a former banker`), which describe the speaker rather than report?"""
    if after_words and after_words[0].lower in {"who", "whose"}:
        return True  # "…, said an official who was briefed on the talks."
    if after_words and text[frame_end:after_words[0].start].strip() == "," and all(w.is_capitalised for w in after_words):
        return True  # "…, said the company's chief executive, John Ferriola.": the speaker's name
    return bool(after_words) and text[frame_end:after_words[0].start].strip() == "," \
        and after_words[0].lower in {"a", "an", "the"}


# Most words of an addressee (and a time) after a closing object cue (`…, X told a Senate panel Wednesday.`).
MAX_ADDRESSEE_WORDS = 6


def _addressee_only(text: str, st: _Sentence, frame: tuple[int, int], after_k: int, after_words: list) -> bool:
    """After a frame set off by a comma (`…, X told The Times on Monday.`): only a short addressee follows,
    no clause, quotation or `that`."""
    cut = next((n for n, w in enumerate(after_words) if n and w.lower in section("subordinators")), len(after_words))
    after_words = after_words[:cut]  # "…, Obama told his advisers as he labored over …": the addressee ends there
    if text[frame[0] - 2:frame[0]].strip() != "," or not 0 < len(after_words) <= MAX_ADDRESSEE_WORDS:
        return False
    if any(w.lower in {"that", "to", "about", "of"} or w.lower in WH_WORDS for w in after_words):
        return False
    return not any(q.start >= frame[1] for _, q in st.quotes) and not _opens_clause(st, after_k + 1)


# Most words of a quoted title, and of the adverbial before it, after a frame (`said Wednesday morning on
# MSNBC’s “Morning Joe.”`).
MAX_TITLE_WORDS = 4
MAX_TITLE_LEAD = 6
# A character that is more than closing punctuation (the sentence goes on after a quotation).
_MORE_THAN_PUNCT = re.compile(r"[^ .,;!?”\"’']")


def _title_quote(text: str, st: _Sentence, frame: tuple[int, int], q) -> bool:
    """Is the quotation after the frame a short title in an adverbial that ends the sentence (`he said
    Wednesday on MSNBC’s “Morning Joe.”`, `told “Fox News Sunday”`), not reported words?"""
    if len(text[q.start:q.end].split()) > MAX_TITLE_WORDS \
            or _MORE_THAN_PUNCT.search(text, (q.close_mark or q.end) + 1, st.s.end):  # a search, not a copy of the rest
        return False
    before = text[frame[1]:q.open_mark].split()
    return bool(before) and len(before) <= MAX_TITLE_LEAD and before[0].lower() in section("adverbial") \
        and not any(w.lower() in {"that", ":"} for w in before)


# Words in -ing that are prepositions, not participles (`…, X said, including …`).
ING_PREPOSITIONS = section("ing_prepositions")


def _added_clause_follows(text: str, frame: tuple[int, int], after_words: list) -> bool:
    """Does a speech participle after a comma follow the frame (`…, X said, adding …`)?"""
    if not after_words or text[frame[1]:after_words[0].start].strip() != ",":
        return False
    word = after_words[0]
    known = verb_forms().get(word.lower)
    if known is None:  # "…, X said, pointing out …", "…, citing …": any participle adds an act of the speaker
        return word.lower.endswith("ing") and word.text[0].islower() and word.lower not in ING_PREPOSITIONS
    return word.lower.endswith("ing") and known[1] == "speech"


def _demonstrative_subject(st: _Sentence, k: int) -> bool:
    """`believe this provides …`, `argue that helped …`: a demonstrative at token k as the subject of the verb after it."""
    toks = st.tokens
    return k + 1 < len(toks) and toks[k].lower in {"this", "that", "it"} and toks[k + 1].is_word \
        and toks[k + 1].text[0].islower() and toks[k + 1].lower.endswith(("s", "ed")) and not toks[k + 1].lower.endswith("ss")


def _opens_clause(st: _Sentence, k: int) -> bool:
    """Do the words from token k on read as a clause (a subject, then a finite verb), as in
    `found the United States was in breach` or `found PolitiFact consistently rated …`?"""
    toks = st.tokens
    if k >= len(toks) or not toks[k].is_word or toks[k].lower in section("boundary"):
        return False
    if _contracted(toks[k]):
        return True  # "said tonight he's a step closer": a subject and its verb in one token
    if toks[k].lower in NOMINATIVE and k + 1 < len(toks) and (
            (toks[k + 1].is_word and toks[k + 1].text[0].islower()) or toks[k + 1].text == ","):
        return True  # "shows he needs …", "found they had …", "said Wednesday she, too, wants …": a subject pronoun
    if _demonstrative_subject(st, k):
        return True
    for j in range(k + 1, min(len(toks), k + 8)):
        t = toks[j]
        if not t.is_word or t.lower in section("boundary"):
            return False
        if t.lower in FINITE or (t.text[0].islower() and t.lower.endswith("ed") and j > k):
            return True
        if j > k and t.text[0].islower() and t.lower in verb_forms() and not t.lower.endswith("ing") \
                and toks[j - 1].lower not in {"and", "or", "but"} and toks[j - 1].lower not in section("determiners"):
            return True  # "show voters fear …": a verb the cue lexicon knows (not a second verb: "… and accused")
    return False


def _contracted(t: Token) -> bool:
    """`he's`, `they’re`: a subject pronoun and its verb in one token."""
    return t.lower.replace("’", "'") in CONTRACTED_SUBJECTS


def _infinitive_follows(st: _Sentence, to: Token) -> bool:
    """`vowed to bring back …` (an intention) rather than `said to reporters` (an addressee)."""
    k = st.tokens.index(to)
    if k + 1 >= len(st.tokens):
        return False
    nxt = st.tokens[k + 1]
    return (nxt.is_word and nxt.text[0].islower() and nxt.lower not in section("determiners")
            and nxt.lower not in PRONOUNS and nxt.lower not in {"him", "her", "them", "us", "me", "reporters"})


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


def _around_content(text: str, st: _Sentence, frame: tuple[int, int], before_words: list[Token], after: tuple[int, int]):
    """`A, X explained, B.`: the content is A and B when A opens a clause that B finishes; only A when B
    is a clause of its own (`…, X said, and the council agreed`); a conjunction opening A is left out."""
    lead = before_words[1:] if before_words[0].lower in OPENING_CONJUNCTIONS else before_words
    if not ((len(lead) >= MIN_LEAD_WORDS and _starts_clause(lead)) or _short_subject(lead, st.words_between(frame[1], st.s.end))):
        return (after[0], after[1]), "reported", [i for i, q in st.quotes if after[0] <= q.start < after[1]]
    a0 = lead[0].start
    rest = st.words_between(frame[1], st.s.end)
    if rest and rest[0].lower in COORDINATORS | {"while", "though", "although", "as", "because", "which"}:
        _, b0 = _before_content(text, st, frame)
        return (a0, b0), "reported", [i for i, q in st.quotes if a0 <= q.start < b0]
    return (a0, after[1]), "reported", [i for i, q in st.quotes if a0 <= q.start < after[1]]


def _short_subject(lead: list[Token], after: list[Token]) -> bool:
    """`This campaign, he says, is different`: a lead shorter than MIN_LEAD_WORDS is still a subject when a
    determiner opens it and a finite verb follows the frame (not `Later, she said, …`)."""
    if not (0 < len(lead) < MIN_LEAD_WORDS and after and after[0].lower in FINITE):
        return False
    first = lead[0].lower
    if first in {"this", "that", "these", "those"}:
        return len(lead) == 2 and lead[1].lower not in TIME_NOUNS | CALENDAR_WORDS  # not "This week, …"
    return first in section("determiners") or (lead[0].is_capitalised and first not in section("adverbial"))


def _starts_clause(words: list[Token]) -> bool:
    """`The Army’s calls …, the Generals explained, weren’t …`: the words before the frame are a subject."""
    return words[0].lower not in section("adverbial") and words[0].lower not in {"but", "and", "yet", "so", "however"}
