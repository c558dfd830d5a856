"""Entities and their mentions in one article: typing, acronyms, and within-article linking.

Names come from `names.find_names`. Each is typed from its own words and its context: a title
or rank makes a person; an organisation head word (`Agency`, `Party`) an organisation; the place
gazetteer or a place head word (`Highway`) a location; a known group (`Taliban`) a group; a
demonym (`Pakistani`) is a mention of its country. Acronyms defined in the text
(`Inter-Services Intelligence (ISI)`, `Tehrik-e-Taliban Pakistan, or TTP`) resolve to the long
form, unless the long form is a role (`National Security Adviser (NSA)`). A surname alone links to
the one full name in the article that ends with it; with two candidates it stays unresolved.
Pronouns `he`/`she` link to a person of the same known gender in the same or a recent sentence
(`_pronoun_mentions`); a person whose gender the article does not show gets no pronoun.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from wordfreq import zipf_frequency as _wordfreq_zipf

from pipelines.text import entity_context as context
from pipelines.text import gazetteer, lexicon
from pipelines.text.fast_patterns import word_start
from pipelines.text.names import (
    CONNECTORS,
    LowerCaseWords,
    Name,
    calendar_words,
    find_names,
    ordinary_word_test,
)
from pipelines.text.roles import (
    HONORIFICS,
    apposition_role,
    clean_role,
    role_head,
    role_key,
    role_mentions,
    role_nouns,
    split_title,
)
from pipelines.text.segment import Layout
from pipelines.text.tokens import Token, strip_possessive, tokenize


@lru_cache(maxsize=1 << 16)
def zipf_frequency(word: str, lang: str = "en") -> float:
    """wordfreq's frequency of `word` (log10 per billion words), remembered: the same words recur."""
    return _wordfreq_zipf(word, lang)


_DATELINE = re.compile(r"(?<=[A-Z]),\s+[A-Z][A-Za-z.]{1,12}\s*(?:—|–|--)")
_AFTER_TOWN = re.compile(r"[A-Z][\w.’'\-]*,\s*$")
_PART_SPLIT = re.compile(r"[\s\-]+")
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")  # "(R-Utah)"
_ROMAN = re.compile(r"[IVXLC]+")
_INDEFINITE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Ee]very|[Ee]ach|[Aa]nother|[Aa]ny)\s+(?:[a-z][\w\-]*\s+)?$")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")
_PAREN_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_LOWER_RUN = re.compile(r"[a-z][a-z\-]+")
_LOWER_RUN_END = re.compile(r"\b[a-z][a-z\-]+\Z")
# the lookbehinds come after the first letter, so that a search skips to letters of the right case
_CAP_WORD = re.compile(r"[A-Z](?<=[a-z,;] [A-Z])[\w’'\-]*")  # a capitalised word after a lower-case word or comma
NOT_PARTY_WORDS = frozenset({"former", "independent", "green"})  # a newspaper, a surname, an adjective
TITLE_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f",
                "baroness": "f", "congressman": "m", "congresswoman": "f", "chairwoman": "f", "chairman": "m"}
TYPE_PRIORITY = ("person", "organisation", "location", "group", "other")
ORGANISATION_LINKS = frozenset({"of", "for", "on", "against", "and", "&"})
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
NOMINATIVE = frozenset({"he", "she"})
# the pronoun tokens: a lower-case first letter (any case after it, as `t.lower` is looked up), or He/She
PRONOUN_FORMS = frozenset({"He", "She"} | {w[0] + "".join(rest) for w in PRONOUNS
                                          for rest in itertools.product(*((c, c.upper()) for c in w[1:]))})
# News prose names a person again within a few sentences; a pronoun further away is a guess.
PRONOUN_SENTENCES_BACK = 3
MIN_GENDER_VOTES = 2  # sentences of one person and a he/she that must agree before that person has a gender
SEAT_HOLDERS = frozenset({"mp", "msp", "mep", "am", "td", "member", "senator", "congressman", "congresswoman",
                          "representative", "councillor"})  # "<holder> for <constituency>"
LOCATION_PREPS = frozenset({"in", "near", "across", "into", "outside", "inside", "around"})
# `at` names a place for a run of words (`at Trump Tower`, `at City Hall`) but a one-word name after it
# is as often a body (`at Yale`, `at Fox`, `at BuzzFeed`); `from`, `to` and `like` are said of anything
# (`to Twitter`, `from Gallup`, `like Walmart`): on the 1,004 PolNeAR and BBC texts, most one-word names
# they typed as places were companies, people, peoples or laws.
MULTIWORD_LOCATION_PREPS = frozenset({"at"})
PLURAL_WORD_ZIPF = 3.0
TEAM_WORD_ZIPF = 2.0  # "Broncos", "Ospreys" are plurals of English words; "Stephanopoulos" is no plural  # "Muslims", "Latinos", "Millennials": the plural of an English word names people
ADJECTIVE_ENDINGS = ("ic", "al", "ese", "ish", "ive", "ous")
SINGLE_INITIAL_ZIPF = 3.0
TYPE_CACHE_SIZE = 1 << 16  # distinct names remembered with their word type (a few MB at most)
ENTITY_ID_CACHE_SIZE = 1 << 16  # distinct (name, type) pairs remembered with their id (a few MB at most)
ORGANISATION_HINTS = frozenset({"company", "the", "title_owner"})
VERB_LIKE_KINDS = frozenset({"hit", "play", "show", "single", "game", "programme", "program"})  # "attack hit Trump"
STRONG_HINTS = frozenset({"company", "work", "place"})  # these outweigh a given name ("firm Freddie Mac")
HINT_STRENGTH = ("company", "work", "place", "club", "title_owner", "the")  # the first wins when mentions disagree
TITLE_CASE_WORDS = frozenset({"and", "of", "on", "to", "for", "in", "with", "at", "is", "are", "a", "as", "by",
                              "from", "over", "after", "into"})
MIN_TITLE_CASE_WORDS = 2  # "Bush Hits Rubio On Rape Exception For Abortions": a heading, not a sentence
# any of them capitalised or in capitals ("On", "ON"), for a quick look before counting
_CAPITAL_SMALL_WORD = re.compile(word_start("(?:" + "|".join(sorted({f(w) for w in TITLE_CASE_WORDS
                                                                      for f in (str.capitalize, str.upper)})) + ")") + r"\b")
CONTEXT_CHARS = 40  # characters either side of a name that its context cues read
MAX_GLOSS_CHARS = 60  # a bracketed gloss or translation between a name and its kind noun
COMMON_NAME_WORD_ZIPF = 4.5  # "Notice", "Music", "Box": words this frequent are not an unknown person's name  # a lone capitalised sentence opener this frequent is an ordinary word


@lru_cache(maxsize=ENTITY_ID_CACHE_SIZE)
def entity_id(canonical_name: str, entity_type: str) -> str:
    """Stable across articles: the same canonical name and type give the same id (remembered: every
    mention row asks for its entity's, and names recur across articles)."""
    return hashlib.sha256(f"{entity_type}|{canonical_name.lower()}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class Entity:
    name: str
    entity_type: str
    acronym: str | None = None
    forms: set[str] = field(default_factory=set)
    evidenced: bool = True  # False: typed `other` only because nothing showed what it names

    @property
    def entity_id(self) -> str:
        return entity_id(self.name, self.entity_type)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: a frozen record is three times slower to make
class Mention:
    start: int
    end: int
    sentence_no: int
    entity: int  # index into EntityResult.entities
    mention_type: str  # name, partial_name, acronym, title, pronoun


@dataclass(slots=True)
class EntityResult:
    entities: list[Entity]
    mentions: list[Mention]
    roles: dict[int, str] = field(default_factory=dict)  # entity index -> the title or apposition tied to it
    # (mention starts, longest mention) once mentions are asked for by position, when they are in order
    _index: tuple[list[int], int] | None = field(default=None, repr=False, compare=False)

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention overlapping [start, end) that covers most of it (the first of the longest)."""
        mentions, lo, hi = self.mentions, 0, len(self.mentions)
        if self._index is None and all(a.start <= b.start for a, b in itertools.pairwise(mentions)):
            self._index = ([m.start for m in mentions], max((m.end - m.start for m in mentions), default=0))
        if self._index is not None:  # only mentions starting less than the longest one's length before can overlap
            starts, longest = self._index
            lo, hi = bisect.bisect_left(starts, start - longest), bisect.bisect_left(starts, end)
        best = None
        for k in range(lo, hi):
            m = mentions[k]
            if m.start < end and start < m.end and (best is None or (m.end - m.start) > (best.end - best.start)):
                best = m
        return best


@dataclass(slots=True)
class _Candidate:
    name: Name
    text: str
    sentence_no: int
    entity_type: str | None
    evidence_person: bool
    acronym_of: str | None = None  # long form text, for an acronym defined in the text
    in_headline: bool = False
    role: str | None = None  # the title before the name or the apposition beside it
    hint: str | None = None  # what the words around it show: company, club, the (after a capital The), title_owner


def _titles() -> frozenset[str]:
    return lexicon.words("person_titles")


@cache
def _party_words() -> frozenset[str]:
    return lexicon.words("name_modifiers") - NOT_PARTY_WORDS


@lru_cache(maxsize=TYPE_CACHE_SIZE)
def _type_from_words(words: tuple[str, ...], text: str) -> str | None:
    """The type a name's own words give it (cached: the same names recur across an article and a corpus)."""
    low = [w.lower() for w in words]
    groups = lexicon.words("group_words")
    if text.lower() in groups or low[-1] in groups:
        return "group"
    if len(low) >= 2 and words[0] in gazetteer.demonyms() and low[-1].endswith("s"):
        return "group"  # "British Jews", "Syrian refugees"
    if len(low) == 1 and low[0] in _party_words():
        return "group"  # "the Republican base", "former Conservative leader": the party
    if len(low) == 1 and low[0].endswith("s") and low[0] in lexicon.words("speaker_nouns"):
        return "group"  # "the Generals", "the Democrats": a capitalised collective
    if low[-1] in lexicon.words("organisation_words") or _organisation_head(low) or "&" in low:
        return "organisation"  # "Moet & Chandon": an ampersand joins the names of a firm, never a person's
    if low[-1] in lexicon.words("location_words"):
        return "location"
    if len(low) > 1 and (low[-1] in lexicon.words("event_words") or _head_before_link(low, "event_words")):
        return "other"  # "Heineken Cup", "Convention on Human Rights"
    if len(low) > 1 and lexicon.table("known_acronyms").get(low[0], ("",))[0] == "organisation":
        return "organisation"  # "BBC Sport", "CNN International"
    places = gazetteer.places()
    if text in places or f"the {text}" in places:
        return "location"
    return None


def _head_before_link(low: list[str], head_words: str) -> bool:
    """A word of lexicon `head_words` right before the first connector: `Convention on Human Rights`."""
    for k in range(len(low) - 1):
        if low[k + 1] in ORGANISATION_LINKS:
            return low[k] in lexicon.words(head_words)
    return False


def _organisation_head(low: list[str]) -> bool:
    """`Institute for Fiscal Studies`, `Bank of England`: an organisation word right before a connector."""
    for k in range(len(low) - 1):
        if low[k + 1] in ORGANISATION_LINKS:
            return low[k] in lexicon.words("organisation_words") or low[0] in {"ministry", "department", "university"}
    return False


def _acronym_matches(acronym: str, long_form: str) -> bool:
    letters = [c for c in acronym if c.isalpha()]
    parts = [p for p in _PART_SPLIT.split(long_form) if p and p.lower() not in CONNECTORS and p.lower() not in {"and", "the", "for", "e"}]
    initials = [p[0].upper() for p in parts]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    # every acronym letter appears among the initials in order
    k = 0
    for ch in initials:
        if k < len(letters) and ch == letters[k]:
            k += 1
    return k >= min(len(letters), 2) and len(letters) <= len(parts) + 1


def _defined_acronym(tokens: list[Token], name: Name) -> str | None:
    """`Long Form (ACR)` or `Long Form, or ACR,` right after the name."""
    k = name.last_index + 1
    if k + 2 < len(tokens) and tokens[k].text == "(" and tokens[k + 1].is_acronym and tokens[k + 2].text == ")":
        return tokens[k + 1].text
    if k + 2 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lower == "or" and tokens[k + 2].is_acronym:
        return tokens[k + 2].text
    return None


def first_name_gender(word: str) -> str | None:
    """m, f or u for a common given name (lexicon `first_names`), None otherwise."""
    found = lexicon.table("first_names").get(word.lower())
    return found[0] if found else None


def _looks_like_person_name(words: tuple[str, ...]) -> bool:
    """Two to four capitalised words read as a person's name: a known given name first, or words
    too rare to be ordinary English (`Moeed Yusuf`, `Zalmay Khalilzad`)."""
    if not 2 <= len(words) <= 4:
        return False
    if first_name_gender(words[0]) is not None:
        return not any(w.lower() in lexicon.words("organisation_words") for w in words[1:])
    if any(zipf_frequency(w.lower(), "en") >= COMMON_NAME_WORD_ZIPF for w in words if w.lower() not in CONNECTORS):
        return False
    if any(w.lower() in {"of", "the", "for"} for w in words):
        return False
    if any(w.lower() in _titles() for w in words[1:]):
        return False  # "Security Adviser": a role, not a name
    first = words[0].lower()
    return not (first.endswith(ADJECTIVE_ENDINGS) and zipf_frequency(first, "en") >= 4.0)


def find_entities(text: str, layout: Layout, tokens_by_sentence: dict[int, list[Token]] | None = None) -> EntityResult:
    """All entities and mentions of the article (headline included, pull quotes too)."""
    lower_words = LowerCaseWords(text)
    mid_caps = frozenset(strip_possessive(w) for w in _CAP_WORD.findall(text))
    is_ordinary = ordinary_word_test(lower_words, mid_caps)
    demonyms = gazetteer.demonyms()
    known_acronyms = lexicon.table("known_acronyms")
    speech_forms = _speech_forms()
    titles, nouns, places, modifiers = _titles(), role_nouns(), gazetteer.places(), lexicon.words("name_modifiers")

    common_acronyms = _common_noun_acronyms(text)  # "intermediate level waste (ILW)"
    sports = _SportsCheck(text)  # asked only when a name has a club's context
    candidates: list[_Candidate] = []
    pronoun_slots: list[tuple[int, int, int, str, bool]] = []  # start, end, sentence_no, gender, nominative
    acronyms: dict[str, str] = {}  # acronym -> long form text, defined in this article
    role_acronyms: set[str] = set()
    headline = {p.paragraph_no for p in layout.paragraphs if p.kind == "headline"}
    for s in layout.sentences:
        sentence_tokens = tokens_by_sentence[s.sentence_no] if tokens_by_sentence else tokenize(text, s.start, s.end)
        for t in sentence_tokens:
            if t.text in PRONOUN_FORMS:
                pronoun_slots.append((t.start, t.end, s.sentence_no, PRONOUNS[t.lower], t.lower in NOMINATIVE))
        for tokens in _lines(text, sentence_tokens):
            heading = s.paragraph_no in headline or _title_case(text, tokens)
            for nm in find_names(tokens, is_ordinary):
                nm = _without_place_of(tokens, nm)
                nm, title_owner = _without_trailing_title(tokens, nm)
                title_owner = title_owner or _owns_next_title(tokens, nm)
                surface = text[nm.start:nm.end]
                hint = None if nm.title else _context_hint(text, nm, sports, title_owner)  # a title outweighs any
                before = tokens[nm.token_index - 1].lower if nm.token_index > 0 else ""
                before2 = tokens[nm.token_index - 2].lower if nm.token_index > 1 else ""
                after = tokens[nm.last_index + 1].lower if nm.last_index + 1 < len(tokens) else ""
                evidence_person = bool(nm.title) or before in titles or (before2 in titles and before == "the")
                if nm.token_index > 0 and tokens[nm.token_index - 1].text[0].islower() and before in nouns:
                    evidence_person = True  # "billionaire Roman Abramovich", "sprinter Kelli White"
                if after in speech_forms and (len(nm.tokens) == 1 or _looks_like_person_name(nm.tokens)):
                    # "Nega said", "Moeed Yusuf says"; not "Pershing Square said" (a body speaks too)
                    evidence_person = evidence_person or _type_from_words(nm.tokens, surface) is None
                role = clean_role(nm.title) or apposition_role(tokens, nm.token_index, nm.last_index, text)
                if role and not nm.title and _type_from_words(nm.tokens, surface) in (None, "other"):
                    evidence_person = True  # "Oliver Grant, the chair of the committee": a person
                if (hint in ORGANISATION_HINTS or hint in ("work", "place")) and not nm.title:
                    evidence_person, role = False, None  # "The Intercept asked", "Carrier announced": not people
                cand = _Candidate(nm, surface, s.sentence_no, None, evidence_person, in_headline=heading,
                                  role=role, hint=hint)
                acr = _defined_acronym(tokens, nm)
                if acr:
                    long_form = surface
                    if not _acronym_matches(acr, long_form) and nm.token_index > 0 and "-" in before:
                        # "now-National Security Adviser (NSA)": the long form starts inside the previous token
                        long_form = tokens[nm.token_index - 1].text.rsplit("-", 1)[-1] + " " + surface
                    if _acronym_matches(acr, long_form):
                        if surface.split()[-1].lower() in titles:
                            role_acronyms.add(acr)
                        else:
                            acronyms.setdefault(acr, surface)
                if (nm.sentence_initial and len(nm.tokens) == 1 and surface not in mid_caps and after not in speech_forms
                        and surface not in places and surface not in demonyms and not nm.tokens[0].isupper()
                        and (zipf_frequency(surface.lower(), "en") >= SINGLE_INITIAL_ZIPF
                             or surface.endswith("ing") and after[:1].islower())):
                    continue  # "Bravery without thinking ...", "Clinching the nomination": ordinary words
                titled = bool(nm.title) and any(w.lower().rstrip(".") in titles for w in nm.title.split())
                if not titled and surface.split()[-1].lower() in titles and all(
                        w.lower() in titles or w.lower() in modifiers
                        or zipf_frequency(w.lower(), "en") >= 4.5 for w in nm.tokens):
                    continue  # a bare title or role ("General", "Security Adviser") names nobody by itself
                if _PARTY_STATE.fullmatch(surface) or (
                        "-" in surface and text[nm.start - 1:nm.start] == "(" and len(surface) <= 8):
                    continue  # "(R-Utah)", "(D-N.Y.)": party and state of a legislator, not a name
                # demonyms: "Pakistani", "Afghan" are mentions of a place, not names
                if len(nm.tokens) == 1 and surface in demonyms:
                    cand.entity_type = "demonym"
                if surface in common_acronyms:
                    continue
                candidates.append(cand)

    # Title Case makes every headline word look like a name: keep only names the body also uses
    body_forms = {c.text for c in candidates if not c.in_headline}
    body_forms |= {f.split()[-1] for f in body_forms}
    candidates = [c for c in candidates if not c.in_headline or c.text in body_forms]
    # what the words around one mention show holds for every mention of the same name
    hints: dict[str, str] = {}
    for c in candidates:
        if c.hint and (c.text not in hints or HINT_STRENGTH.index(c.hint) < HINT_STRENGTH.index(hints[c.text])):
            hints[c.text] = c.hint
    for c in candidates:
        if (hints.get(c.text) in ORGANISATION_HINTS or hints.get(c.text) in ("work", "place")) and not c.name.title:
            c.evidence_person = False
    # one-word names seen with a title or a speech verb anywhere are people everywhere ("Mr. Obama" … "Obama")
    single_people = {c.text for c in candidates if len(c.name.tokens) == 1 and c.evidence_person}

    entities: list[Entity] = []
    index: dict[tuple[str, str], int] = {}

    def get(name: str, etype: str, acronym: str | None = None) -> int:
        if etype == "person":
            name = split_title(name)[0]
        key = (name.lower(), etype)
        if key not in index:
            index[key] = len(entities)
            entities.append(Entity(name, etype, acronym))
        elif acronym and not entities[index[key]].acronym:
            entities[index[key]].acronym = acronym
        return index[key]

    # first pass: full names of people, so that surnames can link to them
    person_full: dict[str, str] = {}
    for c in candidates:
        hint = hints.get(c.text)
        if _is_full_person_name(c, text) and (hint not in ORGANISATION_HINTS | STRONG_HINTS
                                              or hint not in STRONG_HINTS and first_name_gender(c.name.tokens[0])):
            person_full.setdefault(c.text, c.text)
    by_surname: dict[str, set[str]] = {}
    for full in person_full:
        by_surname.setdefault(full.split()[-1], set()).add(full)
    # a full name that is the tail of a longer one ("Ann Moss" in "General Ann Moss")
    canonical_person: dict[str, str] = {}
    for full in person_full:
        longer = [o for o in person_full if o != full and o.endswith(" " + full)]
        canonical_person[full] = max(longer, key=len) if len(longer) == 1 else full
    by_given: dict[str, set[str]] = {}
    for full in person_full:
        if first_name_gender(full.split()[0]) is not None:
            by_given.setdefault(full.split()[0], set()).add(full)
    for c in candidates:  # "Ivana Trump" beside "Donald Trump": the family name of a person makes a person
        if (c.text not in person_full and len(c.name.tokens) >= 2 and c.name.tokens[-1] in by_surname
                and c.entity_type is None and not c.name.tokens[0].isupper()
                and _type_from_words(c.name.tokens, c.text) is None and hints.get(c.text) not in ORGANISATION_HINTS):
            person_full[c.text] = canonical_person[c.text] = c.text

    mentions: list[Mention] = []
    guessed: set[str] = set()  # names typed `other` for want of any evidence
    evidenced: set[str] = set()
    for c in candidates:
        nm, surface = c.name, c.text
        words = nm.tokens
        if c.entity_type == "demonym":
            place = demonyms[surface]
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(place, "location"), "name"))
            continue
        if len(words) == 1 and surface in role_acronyms:
            continue
        if len(words) == 1 and (surface in acronyms or surface.rstrip(".") in acronyms):
            long_form = acronyms.get(surface) or acronyms[surface.rstrip(".")]
            etype = _type_from_words(tuple(long_form.split()), long_form) or "organisation"
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(long_form, etype, surface), "acronym"))
            continue
        if surface in acronyms.values():
            acr = next(a for a, lf in acronyms.items() if lf == surface)
            etype = _type_from_words(words, surface) or "organisation"
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(surface, etype, acr), "name"))
            continue
        if len(words) == 1 and _DATELINE.match(text, nm.end) and text[:nm.start].rstrip(" ")[-1:] in ("", "\n"):
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(surface.title(), "location"), "name"))
            continue  # "FARGO, N.D. —": the dateline's town
        if len(words) == 1 and "." in surface and surface in gazetteer.places():
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(surface, "location"), "name"))
            continue  # "N.D.", "N.Y.": a state after a town
        state = lexicon.table("us_state_codes").get(surface.lower()) if len(surface) == 2 else None
        if state and _AFTER_TOWN.search(text, max(0, nm.start - 40), nm.start):
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(" ".join(state), "location"), "acronym"))
            continue  # "Hudson, NH": the state's postal code after a town
        if len(words) == 1 and words[0].upper() == words[0] and len(words[0]) >= 2 and any(ch.isalpha() for ch in words[0]):
            known = known_acronyms.get(words[0].lower())
            if not known and _common_noun_acronym(text, nm.start, nm.end):
                continue  # "a super PAC", "PR executive", "political DNA": an acronym as a common noun names nobody
            if known:
                etype, long_form = known[0], " ".join(known[1:])
                if etype == "location":
                    mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(long_form, "location"), "acronym"))
                else:
                    mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(long_form, etype, words[0]), "acronym"))
            elif len(words[0]) <= 6 and not _ROMAN.fullmatch(words[0]) and "-" not in words[0]:
                mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(words[0], "organisation", words[0]), "acronym"))
            continue
        if surface in person_full:
            mtype = "name"
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(canonical_person[surface], "person"), mtype))
            continue
        etype = _type_from_words(words, surface)
        if etype == "location" and len(words) == 1 and (nm.title or words[0] in by_surname):
            etype = None  # "Mr Livingstone", "Livingstone" after "Ken Livingstone": a surname, not the town
        hint = hints.get(surface)
        if len(words) == 1 and words[0] in by_surname:
            hint = None  # "Obama said in a statement" after "Barack Obama": the person's surname
        if hint == "club" and (etype == "location" or etype is None and len(words) == 1 and words[0] not in by_surname):
            etype = "organisation"  # "Monaco are also in the race": the town's club
        elif hint in ORGANISATION_HINTS and etype in (None, "other") and not nm.title:
            etype = _kind_noun_type(text, nm.start, nm.end) or "organisation"  # "shares in Rosneft", "of The Intercept"
        elif hint == "work" and etype is None and not nm.title:
            etype = "other"  # "the film The Bodyguard": a title of a work
        elif hint == "place" and etype is None and not nm.title:
            etype = "location"
        if len(words) == 1 and etype is None:
            fulls = by_surname.get(words[0], set())
            canon = _by_honorific({canonical_person[f] for f in fulls}, nm.title)
            if len(canon) == 1:
                mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(canon.pop(), "person"), "partial_name"))
                continue
            if len(canon) > 1:
                continue  # two people share this surname: leave it unresolved
            given = {canonical_person[f] for f in by_given.get(words[0], ())}
            if len(given) == 1:  # "Serena" after "Serena Williams": the one person of that given name
                mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(given.pop(), "person"), "partial_name"))
                continue
        if etype is None and len(words) == 1 and first_name_gender(words[0]) is not None:
            etype = "person"  # "Joseph and other community members"
        if etype is None and _before_place_word(text, nm.end):
            etype = "location"  # "the Darfur region"
        if etype is None and not c.evidence_person:
            etype = _kind_noun_type(text, nm.start, nm.end)  # "the Mirror newspaper", "TV drama Baretta"
        if etype is None:
            if c.evidence_person or surface in single_people or nm.title:
                etype = "person"
            elif _location_context(text, nm.start, nm.end):
                etype = "location"
            elif _town_plural(words, text, nm.start):
                etype = "organisation"  # "the Denver Broncos", "Leicester Tigers": a town's team or band
            elif len(words) >= 2 and _looks_like_person_name(words) and not _shape_only_after_the(words, text, nm.start):
                etype = "person"
            else:
                etype = "other"
                guessed.add(surface.lower())  # no sign of what it names
        mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(surface, etype), "name"))
        if etype == "other" and surface.lower() not in guessed:
            evidenced.add(surface.lower())

    for e in entities:
        e.evidenced = e.entity_type != "other" or e.name.lower() in evidenced or e.name.lower() not in guessed
    _link_short_forms(text, mentions, entities)
    mentions = _one_type_per_name(mentions, entities)
    roles = _roles(candidates, mentions, entities)
    mentions.extend(_role_mentions(text, layout, roles, mentions, entities))
    genders = _known_genders(candidates, mentions, entities, roles)
    genders.update(_genders_from_lone_subjects(pronoun_slots, mentions, entities, genders))
    mentions.extend(_pronoun_mentions(pronoun_slots, mentions, entities, genders))
    mentions.sort(key=lambda m: (m.start, m.end))
    return EntityResult(entities, _dedupe(mentions), roles)


def _lines(text: str, tokens: list[Token]) -> list[list[Token]]:
    """The tokens of one sentence split at line breaks: a name never runs across a new line."""
    if not tokens or text.find("\n", tokens[0].start, tokens[-1].end) < 0:
        return [tokens]
    cuts = [k for k in range(1, len(tokens)) if "\n" in text[tokens[k - 1].end:tokens[k].start]]
    bounds = [0, *cuts, len(tokens)]
    return [tokens[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _title_case(text: str, tokens: list[Token]) -> bool:
    """A line whose small words are capitalised (`Miss The Mark On Discrimination`) is a heading."""
    if len(tokens) < 2 or not _CAPITAL_SMALL_WORD.search(text, tokens[1].start, tokens[-1].end):
        return False  # one pass of a pattern instead of a look at every token (most lines)
    small = sum(1 for t in tokens[1:] if t.text[0].isupper() and t.lower in TITLE_CASE_WORDS)
    return small >= MIN_TITLE_CASE_WORDS


def _without_trailing_title(tokens: list[Token], nm: Name) -> tuple[Name, bool]:
    """`Hewlett-Packard CEO`, `Ohio Governor`: a title ending a run belongs to the person who is not
    named there; the words before it name the body or place whose title it is."""
    words = nm.tokens
    k = len(words)
    while k > 1 and words[k - 1].lower().rstrip(".") in _titles():
        k -= 1
    if nm.title or k == len(words) or words[k - 1].lower() in _titles():
        return nm, False
    rest = words[:k]
    if not any(zipf_frequency(w.lower(), "en") < COMMON_NAME_WORD_ZIPF or w in gazetteer.places() for w in rest):
        return nm, False  # "Security Adviser", "Labour MP": a role, nobody's name
    last = tokens[nm.token_index + k - 1]
    return replace(nm, end=last.bare_end, tokens=rest, last_index=nm.token_index + k - 1), True


def _owns_next_title(tokens: list[Token], nm: Name) -> bool:
    """`Wells Fargo CEO John Stumpf`: the name right before a title and a person's name names the body
    whose title it is (not after an honorific, `Marco Rubio Miss The Mark`, nor a party, `Labour MP`)."""
    k = nm.last_index + 1
    if k + 1 >= len(tokens):
        return False
    title, then = tokens[k], tokens[k + 1]
    return (title.is_capitalised and title.lower.rstrip(".") in _titles() and title.lower.rstrip(".") not in HONORIFICS
            and then.is_capitalised and then.text not in lexicon.words("non_entities", case_sensitive=True)
            and nm.tokens[-1].lower() not in lexicon.words("name_modifiers"))


def _common_noun_acronyms(text: str) -> set[str]:
    """Acronyms defined after two lower-case words: `intermediate level waste (ILW)` names no body.
    Found from the brackets back (few) rather than by a pattern tried at every word of the text."""
    out = set()
    for m in _PAREN_ACRONYM.finditer(text):
        space = m.start() - 1
        if space < 1 or text[space] != " ":
            continue
        second = _lower_run_start(text, space)
        if text[second - 1:second] != " " or not _LOWER_RUN.fullmatch(text, second, space):
            continue
        if _LOWER_RUN_END.search(text, _lower_run_start(text, second - 1), second - 1):
            out.add(m.group(1))
    return out


def _lower_run_start(text: str, end: int) -> int:
    """Where the run of lower-case letters and hyphens that ends at `end` starts."""
    k = end
    while k > 0 and ("a" <= text[k - 1] <= "z" or text[k - 1] == "-"):
        k -= 1
    return k


def _common_noun_acronym(text: str, start: int, end: int) -> bool:
    """An acronym the text does not define, used as a common noun: one English uses so (lexicon
    `common_noun_acronyms`), after `a`/`an`/`every` (`a super PAC`), before a role noun (`PR executive`)
    or after an adjective (`political DNA`)."""
    if text[start:end] in lexicon.words("common_noun_acronyms", case_sensitive=True):
        return True  # "gone AWOL", "GDP grew"
    if _INDEFINITE_BEFORE.search(text, max(0, start - 30), start):
        return True
    after = text[end:end + 30].split()
    if after and after[0][:1].islower() and after[0].strip(",.;:") in role_nouns():
        return True
    before = text[max(0, start - 30):start].split()
    return bool(before) and before[-1][:1].islower() and before[-1].endswith(ADJECTIVE_ENDINGS)


def _kind_before(text: str, start: int) -> str | None:
    """The type a kind noun right before the name gives it: `US mortgage company Fannie Mae`, `the film
    The Bodyguard` (not across a comma: `the owner of the club, Roman Abramovich`)."""
    before = _line_before(text, start, 30).split()
    if before and before[-1] == "The":
        before = before[:-1]
    if not before or not before[-1][:1].islower():
        return None
    word = before[-1].lower()
    found = lexicon.table("kind_nouns").get(word)
    return found[0] if found and word not in VERB_LIKE_KINDS else None


def _after_seat_holder(text: str, start: int) -> bool:
    """`the Tory MP for Sleaford and North Hykeham`: a constituency, not a person."""
    window = _line_before(text, start)
    if window.rstrip()[-3:].lower() not in ("for", "and"):
        return False  # most names: no need to split the words before them
    before = window.lower().split()
    return (len(before) >= 2 and before[-1] == "for" and before[-2] in SEAT_HOLDERS
            or len(before) >= 4 and before[-1] == "and" and before[-3] == "for" and before[-4] in SEAT_HOLDERS)


class _SportsCheck:
    """Whether an article is about sport, worked out the first time a name has a club's context
    (most articles never need it); once known to be no sports article, no name is tried as a club."""

    __slots__ = ("text", "answer")

    def __init__(self, text: str):
        self.text, self.answer = text, None

    @property
    def possible(self) -> bool:
        return self.answer is not False

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = context.is_sports_article(self.text)
        return self.answer


def _context_hint(text: str, nm: Name, sports: _SportsCheck, title_owner: bool) -> str | None:
    """What the words around one name show it is (see `entity_context`), or None."""
    if _after_seat_holder(text, nm.start):
        return "place"
    kind = _kind_before(text, nm.start)
    if kind:
        return "company" if kind == "organisation" else "work"
    if context.is_company(text, nm.start, nm.end):
        return "company"
    if sports.possible and context.is_club(text, nm.start, nm.end) and sports():
        return "club"
    if title_owner:
        return "title_owner"
    if context.after_capital_the(text, nm.start):
        return "the"
    return None


def _link_short_forms(text: str, mentions: list[Mention], entities: list[Entity]) -> None:
    """A one-word organisation or unknown name that begins or ends exactly one longer organisation
    name of the article is a short form of it: `Army` -> `Pakistan Army`, `the Committee` ->
    `Environmental Audit Committee`. A last word stands for the whole only after `the` or before a
    title it gives (`Army chief`): `House and Senate Republicans` is not the White House."""
    longer = [k for k, e in enumerate(entities) if e.entity_type == "organisation" and " " in e.name]
    for i, m in enumerate(mentions):
        e = entities[m.entity]
        if e.entity_type not in ("organisation", "other") or " " in e.name or m.mention_type != "name":
            continue
        before = _line_before(text, m.start, 10).lower().split()[-1:]
        if before in (["a"], ["an"]):
            continue  # "a Muslim family": a word describing something, not a body's short name
        whole = before == ["the"] or _role_noun_after(text, m.end)
        hits = [k for k in longer if k != m.entity and (_heads(e.name, entities[k].name)
                                                         or whole and entities[k].name.split()[-1] == e.name)]
        if len(hits) == 1:
            mentions[i] = Mention(m.start, m.end, m.sentence_no, hits[0], "partial_name")


def _role_noun_after(text: str, end: int) -> bool:
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1) in role_nouns()


def _heads(word: str, name: str) -> bool:
    """`Mercury` of `Mercury LLC`, `Chamber` of `Chamber of Commerce`: the first word of a name stands
    for it, unless it is an organisation word modifying the head (`House` of `House Natural Resources
    Committee`: "the House" is another body)."""
    words = name.split()
    if words[0] != word:
        return False
    return word.lower() not in lexicon.words("organisation_words") or words[1].lower() in ORGANISATION_LINKS


def _is_full_person_name(c: _Candidate, text: str) -> bool:
    """Two or more words that name a person: with a title, apposition or speech verb, or shaped like a name.
    An event word at the end (`Grant`) does not outweigh a title or an apposition."""
    if c.entity_type is not None or c.name.tokens[0].isupper() or len(c.name.tokens) < 2:
        return False
    by_words = _type_from_words(c.name.tokens, c.text)
    if _town_plural(c.name.tokens, text, c.name.start) and not c.name.title:
        return False  # "the Cleveland Cavaliers": a town's team, though Cleveland is a given name too
    if c.evidence_person:
        return by_words is None or (by_words == "other" and (c.role is not None or c.name.title is not None))
    return (by_words is None and _looks_like_person_name(c.name.tokens) and not _location_context(text, c.name.start, c.name.end)
            and not _shape_only_after_the(c.name.tokens, text, c.name.start))


def _without_place_of(tokens: list[Token], nm: Name) -> Name:
    """`Lord Patel of Bradford`, `Mike Pence of Indiana`: a person's name ends before `of` and a place."""
    words = [w.lower() for w in nm.tokens]
    if "of" not in words[1:] or _type_from_words(nm.tokens, " ".join(nm.tokens)) is not None:
        return nm
    k = words.index("of", 1)
    place = " ".join(nm.tokens[k + 1:])
    named = nm.title or first_name_gender(nm.tokens[0]) or (2 <= k <= 3 and place in gazetteer.places())
    if not named or not (place in gazetteer.places() or len(nm.tokens) - k <= 2):
        return nm
    last = tokens[nm.token_index + k - 1]
    return replace(nm, end=last.bare_end, tokens=nm.tokens[:k], last_index=nm.token_index + k - 1)


def _one_type_per_name(mentions: list[Mention], entities: list[Entity]) -> list[Mention]:
    """One name, one type in an article: the type most of its mentions have (person first on a tie)."""
    counts: dict[str, dict[int, int]] = {}
    for m in mentions:
        counts.setdefault(entities[m.entity].name.lower(), {}).setdefault(m.entity, 0)
        counts[entities[m.entity].name.lower()][m.entity] += 1
    remap = {}
    for by_entity in counts.values():
        if len(by_entity) > 1:
            # "other" is what is left when nothing else fits: any evidenced type wins over it
            best = max(by_entity, key=lambda k: (entities[k].entity_type != "other", by_entity[k],
                                                 -TYPE_PRIORITY.index(entities[k].entity_type)))
            remap.update({k: best for k in by_entity if k != best})
    if not remap:
        return mentions
    return [Mention(m.start, m.end, m.sentence_no, remap.get(m.entity, m.entity), m.mention_type) for m in mentions]


def _roles(candidates: list[_Candidate], mentions: list[Mention], entities: list[Entity]) -> dict[int, str]:
    """Person entity index -> the first title or apposition the article ties to one of its names."""
    by_span = {(m.start, m.end): m.entity for m in mentions}
    roles: dict[int, str] = {}
    for c in candidates:
        e = by_span.get((c.name.start, c.name.end))
        if c.role and e is not None and entities[e].entity_type == "person":
            roles.setdefault(e, c.role)
    return roles


def _role_mentions(text: str, layout: Layout, roles: dict[int, str], mentions: list[Mention],
                   entities: list[Entity]) -> list[Mention]:
    """`the education secretary` after `Helen Carter, the education secretary`: a title mention of her."""
    owners: dict[str, set[int]] = {}
    for e, role in roles.items():
        key = role_key(role)
        for k in {key, role_head(key) if key else None} - {None}:
            owners.setdefault(k, set()).add(e)
    keys = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
    if not keys:
        return []
    taken = sorted((m.start, m.end) for m in mentions)
    taken_starts = [x for x, _ in taken]
    longest = max((y - x for x, y in taken), default=0)
    starts = [s.start for s in layout.sentences]
    out = []
    for a, b, e in role_mentions(text, keys):
        # mentions overlapping [a, b) start before b and no earlier than a - longest: bisect, not a scan
        lo, hi = bisect.bisect_left(taken_starts, a - longest), bisect.bisect_left(taken_starts, b)
        if any(a < y for _, y in taken[lo:hi]):
            continue
        k = max(bisect.bisect_right(starts, a) - 1, 0)
        out.append(Mention(a, b, layout.sentences[k].sentence_no, e, "title"))
    return out


@cache
def _kind_apposition() -> re.Pattern[str]:
    """`, a conservative research firm`: an apposition whose head is a kind noun."""
    nouns = "|".join(sorted(lexicon.table("kind_nouns"), key=len, reverse=True))
    return re.compile(rf",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,4}}?({nouns})\b(?!\s+(?:of|for)\b)")


def _kind_noun_type(text: str, start: int, end: int) -> str | None:
    """The type a kind noun right after or right before the name gives it (`newspaper`, `drama`)."""
    kinds = lexicon.table("kind_nouns")
    m = _kind_apposition().match(text, end)
    if m:
        return kinds[m.group(1).lower()][0]
    after = _line_after(text, end, 20 + MAX_GLOSS_CHARS)
    if after.startswith((" (", "(")) and 0 < after.find(")") <= MAX_GLOSS_CHARS:
        after = after[after.find(")") + 1:]  # "the Vox Populi (Voice of the People) column"
    after = after[:20].split()
    before = _line_before(text, start, 20).split()
    for word in (after[0] if after else "", before[-1] if before else ""):
        found = kinds.get(word.strip(",.;:’'").lower())
        if found and word[:1].islower():
            return found[0]
    return None


def _town_plural(words: tuple[str, ...], text: str, start: int) -> bool:
    """A place and the plural of an English word (`Denver Broncos`, `Neath-Swansea Ospreys`): a team
    named for its town. A town that is also a given name needs `the` (`the Cleveland Cavaliers`, not
    `Elizabeth Banks`)."""
    last = words[-1]
    if len(words) < 2 or not last.endswith("s") or last.endswith("ss") or not last[0].isupper():
        return False
    town = " ".join(words[:-1])
    if not (town in gazetteer.places() or all(part in gazetteer.places() for part in town.split("-"))):
        return False
    if zipf_frequency(last[:-1].lower(), "en") < TEAM_WORD_ZIPF:
        return False  # "George Stephanopoulos": a surname, not a plural
    return first_name_gender(words[0]) is None or _line_before(text, start, 10).split()[-1:] == ["the"]


def _shape_only_after_the(words: tuple[str, ...], text: str, start: int) -> bool:
    """`the Neath-Swansea Ospreys`, `the Vox Populi column`: rare words after `the` are a body or a
    work, not a person, unless a given name opens them (`the Hillary Clinton campaign`)."""
    before = _line_before(text, start, 10).split()
    return bool(before) and before[-1] == "the" and first_name_gender(words[0]) is None


def _before_place_word(text: str, end: int) -> bool:
    after = _line_after(text, end, 20).split()
    return bool(after) and after[0].strip(",.;").lower() in lexicon.words("location_words")


def _by_honorific(fulls: set[str], title: str | None) -> set[str]:
    """`Mr. Trump` beside Donald and Ivanka Trump: of several people with the surname, those whose
    given name does not contradict the honorific's gender (all of them when that leaves none)."""
    gender = TITLE_GENDER.get(title.split()[-1].lower().rstrip(".")) if title and len(fulls) > 1 else None
    if gender is None:
        return fulls
    fit = {f for f in fulls if first_name_gender(f.split()[0]) not in ("m", "f") or first_name_gender(f.split()[0]) == gender}
    return fit or fulls


def _location_context(text: str, start: int, end: int) -> bool:
    """`in Casper`, `at Trump Tower`, `the region of Oromia`: a preposition of place before the name on
    its line -- not when the name only owns what follows (`in Tony Blair's government`), nor for one
    word that is a plural or an adjective of English (`among Millennials`, `in Hispanic areas`)."""
    if _possessive_after(text, end) or _calendar_word_after(text, end):
        return False
    before = _line_before(text, start).lower().split()
    if not before:
        return False
    one_word = " " not in text[start:end]
    if one_word and _common_word_form(text[start:end]):
        return False
    if before[-1] in LOCATION_PREPS or (not one_word and before[-1] in MULTIWORD_LOCATION_PREPS):
        return True
    return len(before) >= 2 and before[-1] == "of" and before[-2] in lexicon.words("location_words")


def _calendar_word_after(text: str, end: int) -> bool:
    """`in Super Tuesday`: a word before a weekday or a month names a day, not a place."""
    m = _NEXT_WORD.match(text, end)
    return m is not None and m.group(1).lower() in calendar_words()


def _possessive_after(text: str, end: int) -> bool:
    return text[end:end + 2] in ("’s", "'s") or (text[end:end + 1] in ("’", "'") and text[end - 1:end] == "s")


def _common_word_form(word: str) -> bool:
    """A capitalised plural or adjective of an English word (`Muslims`, `Hispanic`, `Judicial`)."""
    low = word.lower()
    if low.endswith("s") and zipf_frequency(low[:-1], "en") >= PLURAL_WORD_ZIPF:
        return True
    return low.endswith(ADJECTIVE_ENDINGS) and zipf_frequency(low, "en") >= PLURAL_WORD_ZIPF


def _line_before(text: str, start: int, look: int = CONTEXT_CHARS) -> str:
    """Up to `look` characters before `start`, on its line: a heading above says nothing of a name."""
    window = text[max(0, start - look):start]
    return window[window.rfind("\n") + 1:]


def _line_after(text: str, end: int, look: int = CONTEXT_CHARS) -> str:
    window = text[end:end + look]
    cut = window.find("\n")
    return window if cut < 0 else window[:cut]


def _known_genders(candidates: list[_Candidate], mentions: list[Mention], entities: list[Entity],
                   roles: dict[int, str]) -> dict[int, str]:
    """Entity index -> m or f, for people whose gender the article shows: an honorific before one of
    their names (`Mr`, `Mrs`, `Dame`), a gendered role noun tied to them (`spokeswoman`), or a given
    name that is mostly one gender. People of unknown gender are left out: no pronoun links to them."""
    by_span = {(m.start, m.end): m.entity for m in mentions}
    out: dict[int, str] = {}
    for c in candidates:
        e = by_span.get((c.name.start, c.name.end))
        title = (c.name.title or "").split()
        if e is not None and title and title[-1].lower().rstrip(".") in TITLE_GENDER:
            out.setdefault(e, TITLE_GENDER[title[-1].lower().rstrip(".")])
    gendered = lexicon.table("gendered_words")
    for e, role in roles.items():
        found = [gendered[w][0] for w in role.lower().split() if w in gendered]
        if found and e not in out:
            out[e] = found[-1]  # the head noun comes last: "the party's chairwoman"
    for m in mentions:
        if m.entity not in out and entities[m.entity].entity_type == "person":
            g = first_name_gender(entities[m.entity].name.split()[0])
            if g in ("m", "f"):
                out[m.entity] = g
    return out


def _genders_from_lone_subjects(slots, mentions: list[Mention], entities: list[Entity],
                                genders: dict[int, str]) -> dict[int, str]:
    """Gender shown by the article's own pronouns: `Nega said he would go` -- a `he`/`she` whose sentence
    names only one person before it, a person of unknown gender. Taken when at least MIN_GENDER_VOTES
    such sentences agree and none disagrees."""
    people = [m for m in mentions if entities[m.entity].entity_type == "person"]
    by_sentence: dict[int, list[Mention]] = {}
    for m in people:
        by_sentence.setdefault(m.sentence_no, []).append(m)
    votes: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for start, _, sentence_no, gender, nominative in slots:
        before = {m.entity for m in by_sentence.get(sentence_no, ()) if m.start < start}
        if nominative and len(before) == 1:
            e = before.pop()
            if e not in genders:
                votes.setdefault(e, set()).add(gender)
                counts[e] = counts.get(e, 0) + 1
    return {e: g.pop() for e, g in votes.items() if len(g) == 1 and counts[e] >= MIN_GENDER_VOTES}


def _pronoun_mentions(slots, mentions: list[Mention], entities: list[Entity],
                      genders: dict[int, str]) -> list[Mention]:
    """he/she/him/his/her -> the person it must be: the nearest sentence (the pronoun's own, before it,
    or up to PRONOUN_SENTENCES_BACK before) that mentions anyone it could be -- a person of the same or
    unknown gender -- mentions exactly one, whose gender is known and the same. Two candidates (`Mr
    Croucher said Mr Houston's views ... He said`) or unknown gender: no link rather than a guess
    (hand-checked: a guess by position was right 44 of 53 times, a sole candidate 36 of 39). A linked
    pronoun counts as a mention of its person for the pronouns after it."""
    people = sorted((m for m in mentions if entities[m.entity].entity_type == "person"), key=lambda m: m.start)
    # sentence_no -> the distinct (person entity or None for a pronoun left unlinked, gender) seen so far
    # (a set: a sentence of thousands of pronouns made a list scanned once per pronoun, quadratic)
    by_sentence: dict[int, set[tuple[int | None, str | None]]] = {}
    out = []
    k = 0
    for start, end, sentence_no, pronoun_gender, _ in slots:
        while k < len(people) and people[k].start < start:
            e = people[k].entity
            by_sentence.setdefault(people[k].sentence_no, set()).add((e, genders.get(e)))
            k += 1
        e = _antecedent(by_sentence, sentence_no, pronoun_gender)
        by_sentence.setdefault(sentence_no, set()).add((e, pronoun_gender))
        if e is not None:
            out.append(Mention(start, end, sentence_no, e, "pronoun"))
    return out


def _antecedent(by_sentence, sentence_no: int, gender: str) -> int | None:
    """The one person a pronoun of `gender` can point at, or None (see `_pronoun_mentions`)."""
    for back in range(PRONOUN_SENTENCES_BACK + 1):
        fits = {(e, g) for e, g in by_sentence.get(sentence_no - back, ()) if g in (None, gender)}
        if fits:
            if len(fits) > 1:
                return None  # two people it could be, or one of unknown gender among them
            e, g = fits.pop()
            return e if g == gender else None
    return None


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out


@cache
def _speech_forms() -> frozenset[str]:
    from pipelines.text.cues import verb_forms

    return frozenset(f for f, (lemma, cls) in verb_forms().items() if cls == "speech" and " " not in f)
