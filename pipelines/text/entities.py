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
import re
from dataclasses import dataclass, field, replace
from functools import cache

from wordfreq import zipf_frequency

from pipelines.text import gazetteer, lexicon
from pipelines.text.names import CONNECTORS, Name, find_names, ordinary_word_test
from pipelines.text.roles import apposition_role, clean_role, role_head, role_key, role_mentions, split_title
from pipelines.text.segment import Layout
from pipelines.text.tokens import Token, strip_possessive, tokenize

_DATELINE = re.compile(r"(?<=[A-Z]),\s+[A-Z][A-Za-z.]{1,12}\s*(?:—|–|--)")
_COMMON_NOUN_ACRONYM = re.compile(r"\b[a-z][a-z\-]+ [a-z][a-z\-]+ \(([A-Z]{2,6})\)")
_LOWER_WORD = re.compile(r"(?<![\w’'\-])[a-z][a-z’'\-]*")
_CAP_WORD = re.compile(r"(?<=[a-z,;] )[A-Z][\w’'\-]*")
NOT_PARTY_WORDS = frozenset({"former", "independent", "green"})  # a newspaper, a surname, an adjective
TITLE_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f",
                "baroness": "f", "congressman": "m", "congresswoman": "f", "chairwoman": "f", "chairman": "m"}
TYPE_PRIORITY = ("person", "organisation", "location", "group", "other")
ORGANISATION_LINKS = frozenset({"of", "for", "on", "against", "and", "&"})
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
NOMINATIVE = frozenset({"he", "she"})
# News prose names a person again within a few sentences; a pronoun further away is a guess.
PRONOUN_SENTENCES_BACK = 3
LOCATION_PREPS = frozenset({"in", "at", "near", "across", "into", "outside", "inside", "around"})
WEAK_LOCATION_PREPS = frozenset({"from", "to", "like"})  # only for one-word names
ADJECTIVE_ENDINGS = ("ic", "al", "ese", "ish", "ive", "ous")
SINGLE_INITIAL_ZIPF = 3.0
COMMON_NAME_WORD_ZIPF = 4.5  # "Notice", "Music", "Box": words this frequent are not an unknown person's name  # a lone capitalised sentence opener this frequent is an ordinary word


def entity_id(canonical_name: str, entity_type: str) -> str:
    """Stable across articles: the same canonical name and type give the same id."""
    return hashlib.sha256(f"{entity_type}|{canonical_name.lower()}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class Entity:
    name: str
    entity_type: str
    acronym: str | None = None
    forms: set[str] = field(default_factory=set)

    @property
    def entity_id(self) -> str:
        return entity_id(self.name, self.entity_type)


@dataclass(frozen=True, slots=True)
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

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention overlapping [start, end) that covers most of it."""
        best = None
        for m in self.mentions:
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


def _titles() -> frozenset[str]:
    return lexicon.words("person_titles")


def _type_from_words(words: tuple[str, ...], text: str) -> str | None:
    low = [w.lower() for w in words]
    if text.lower() in lexicon.words("group_words") or low[-1] in lexicon.words("group_words"):
        return "group"
    if len(low) >= 2 and words[0] in gazetteer.demonyms() and low[-1].endswith("s"):
        return "group"  # "British Jews", "Syrian refugees"
    if len(low) == 1 and low[0] in lexicon.words("name_modifiers") - NOT_PARTY_WORDS:
        return "group"  # "the Republican base", "former Conservative leader": the party
    if len(low) == 1 and low[0].endswith("s") and low[0] in lexicon.words("speaker_nouns"):
        return "group"  # "the Generals", "the Democrats": a capitalised collective
    if low[-1] in lexicon.words("organisation_words") or _organisation_head(low):
        return "organisation"
    if low[-1] in lexicon.words("location_words"):
        return "location"
    if low[-1] in lexicon.words("event_words") and len(low) > 1:
        return "other"
    if text in gazetteer.places() or f"the {text}" in gazetteer.places():
        return "location"
    return None


def _organisation_head(low: list[str]) -> bool:
    """`Institute for Fiscal Studies`, `Bank of England`: an organisation word right before a connector."""
    for k in range(len(low) - 1):
        if low[k + 1] in ORGANISATION_LINKS:
            return low[k] in lexicon.words("organisation_words") or low[0] in {"ministry", "department", "university"}
    return False


def _acronym_matches(acronym: str, long_form: str) -> bool:
    letters = [c for c in acronym if c.isalpha()]
    parts = [p for p in re.split(r"[\s\-]+", long_form) if p and p.lower() not in CONNECTORS and p.lower() not in {"and", "the", "for", "e"}]
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
    lower_words = frozenset(_LOWER_WORD.findall(text))
    mid_caps = frozenset(strip_possessive(w) for w in _CAP_WORD.findall(text))
    is_ordinary = ordinary_word_test(lower_words, mid_caps)
    demonyms = gazetteer.demonyms()
    known_acronyms = lexicon.table("known_acronyms")
    speech_forms = _speech_forms()

    common_acronyms = set(_COMMON_NOUN_ACRONYM.findall(text))  # "intermediate level waste (ILW)"
    candidates: list[_Candidate] = []
    pronoun_slots: list[tuple[int, int, int, str, bool]] = []  # start, end, sentence_no, gender, nominative
    acronyms: dict[str, str] = {}  # acronym -> long form text, defined in this article
    role_acronyms: set[str] = set()
    headline = {p.paragraph_no for p in layout.paragraphs if p.kind == "headline"}
    for s in layout.sentences:
        tokens = tokens_by_sentence[s.sentence_no] if tokens_by_sentence else tokenize(text, s.start, s.end)
        for t in tokens:
            if t.lower in PRONOUNS and t.text[0].islower() or t.text in ("He", "She"):
                pronoun_slots.append((t.start, t.end, s.sentence_no, PRONOUNS[t.lower], t.lower in NOMINATIVE))
        for nm in find_names(tokens, is_ordinary):
            nm = _without_place_of(tokens, nm)
            surface = text[nm.start:nm.end]
            before = tokens[nm.token_index - 1].lower if nm.token_index > 0 else ""
            before2 = tokens[nm.token_index - 2].lower if nm.token_index > 1 else ""
            after = tokens[nm.last_index + 1].lower if nm.last_index + 1 < len(tokens) else ""
            evidence_person = bool(nm.title) or before in _titles() or (before2 in _titles() and before in {"the"})
            if after in speech_forms and len(nm.tokens) <= 3:
                evidence_person = evidence_person or _type_from_words(nm.tokens, surface) is None
            role = clean_role(nm.title) or apposition_role(tokens, nm.token_index, nm.last_index, text)
            if role and not nm.title and _type_from_words(nm.tokens, surface) in (None, "other"):
                evidence_person = True  # "Oliver Grant, the chair of the committee": a person
            cand = _Candidate(nm, surface, s.sentence_no, None, evidence_person, in_headline=s.paragraph_no in headline,
                              role=role)
            acr = _defined_acronym(tokens, nm)
            if acr:
                long_form = surface
                if not _acronym_matches(acr, long_form) and nm.token_index > 0 and "-" in before:
                    # "now-National Security Adviser (NSA)": the long form starts inside the previous token
                    long_form = tokens[nm.token_index - 1].text.rsplit("-", 1)[-1] + " " + surface
                if _acronym_matches(acr, long_form):
                    if surface.split()[-1].lower() in _titles():
                        role_acronyms.add(acr)
                    else:
                        acronyms.setdefault(acr, surface)
            if (nm.sentence_initial and len(nm.tokens) == 1 and surface not in mid_caps and after not in speech_forms
                    and surface not in gazetteer.places() and surface not in demonyms and not nm.tokens[0].isupper()
                    and zipf_frequency(surface.lower(), "en") >= SINGLE_INITIAL_ZIPF):
                continue  # "Bravery without thinking ...": an ordinary word opening the sentence
            titled = bool(nm.title) and any(w.lower().rstrip(".") in _titles() for w in nm.title.split())
            if not titled and surface.split()[-1].lower() in _titles() and all(
                    w.lower() in _titles() or w.lower() in lexicon.words("name_modifiers")
                    or zipf_frequency(w.lower(), "en") >= 4.5 for w in nm.tokens):
                continue  # a bare title or role ("General", "Security Adviser") names nobody by itself
            if re.fullmatch(r"[RDI]-[A-Z][A-Za-z.]*", surface) or (
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
        if _is_full_person_name(c, text):
            person_full.setdefault(c.text, c.text)
    by_surname: dict[str, set[str]] = {}
    for full in person_full:
        by_surname.setdefault(full.split()[-1], set()).add(full)
    # a full name that is the tail of a longer one ("Ann Moss" in "General Ann Moss")
    canonical_person: dict[str, str] = {}
    for full in person_full:
        longer = [o for o in person_full if o != full and o.endswith(" " + full)]
        canonical_person[full] = max(longer, key=len) if len(longer) == 1 else full

    mentions: list[Mention] = []
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
        if len(words) == 1 and words[0].upper() == words[0] and len(words[0]) >= 2 and any(ch.isalpha() for ch in words[0]):
            known = known_acronyms.get(words[0].lower())
            if known:
                etype, long_form = known[0], " ".join(known[1:])
                if etype == "location":
                    mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(long_form, "location"), "acronym"))
                else:
                    mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(long_form, etype, words[0]), "acronym"))
            elif len(words[0]) <= 6 and not re.fullmatch(r"[IVXLC]+", words[0]) and "-" not in words[0]:
                mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(words[0], "organisation", words[0]), "acronym"))
            continue
        if surface in person_full:
            mtype = "name"
            mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(canonical_person[surface], "person"), mtype))
            continue
        etype = _type_from_words(words, surface)
        if etype == "location" and len(words) == 1 and (nm.title or words[0] in by_surname):
            etype = None  # "Mr Livingstone", "Livingstone" after "Ken Livingstone": a surname, not the town
        if len(words) == 1 and etype is None:
            fulls = by_surname.get(words[0], set())
            canon = {canonical_person[f] for f in fulls}
            if len(canon) == 1:
                mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(canon.pop(), "person"), "partial_name"))
                continue
            if len(canon) > 1:
                continue  # two people share this surname: leave it unresolved
        if etype is None and len(words) == 1 and first_name_gender(words[0]) is not None:
            etype = "person"  # "Joseph and other community members"
        if etype is None and _before_place_word(text, nm.end):
            etype = "location"  # "the Darfur region"
        if etype is None and not c.evidence_person:
            etype = _kind_noun_type(text, nm.start, nm.end)  # "the Mirror newspaper", "TV drama Baretta"
        if etype is None:
            if c.evidence_person or surface in single_people or nm.title:
                etype = "person"
            elif _location_context(text, nm.start, one_word=len(words) == 1):
                etype = "location"
            elif len(words) >= 2 and _looks_like_person_name(words):
                etype = "person"
            else:
                etype = "other"
        mentions.append(Mention(nm.start, nm.end, c.sentence_no, get(surface, etype), "name"))

    _link_short_forms(mentions, entities)
    mentions = _one_type_per_name(mentions, entities)
    roles = _roles(candidates, mentions, entities)
    mentions.extend(_role_mentions(text, layout, roles, mentions, entities))
    mentions.extend(_pronoun_mentions(pronoun_slots, mentions, entities, _known_genders(candidates, mentions, entities, roles)))
    mentions.sort(key=lambda m: (m.start, m.end))
    return EntityResult(entities, _dedupe(mentions), roles)


def _link_short_forms(mentions: list[Mention], entities: list[Entity]) -> None:
    """A one-word organisation or unknown name that begins or ends exactly one longer organisation
    name of the article is a short form of it: `Army` -> `Pakistan Army`."""
    longer = [k for k, e in enumerate(entities) if e.entity_type == "organisation" and " " in e.name]
    for i, m in enumerate(mentions):
        e = entities[m.entity]
        if e.entity_type not in ("organisation", "other") or " " in e.name or m.mention_type != "name":
            continue
        hits = [k for k in longer if k != m.entity and (entities[k].name.split()[0] == e.name or entities[k].name.split()[-1] == e.name)]
        if len(hits) == 1:
            mentions[i] = Mention(m.start, m.end, m.sentence_no, hits[0], "partial_name")


def _is_full_person_name(c: _Candidate, text: str) -> bool:
    """Two or more words that name a person: with a title, apposition or speech verb, or shaped like a name.
    An event word at the end (`Grant`) does not outweigh a title or an apposition."""
    if c.entity_type is not None or c.name.tokens[0].isupper() or len(c.name.tokens) < 2:
        return False
    by_words = _type_from_words(c.name.tokens, c.text)
    if c.evidence_person:
        return by_words is None or (by_words == "other" and (c.role is not None or c.name.title is not None))
    return by_words is None and _looks_like_person_name(c.name.tokens) and not _location_context(text, c.name.start)


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
    taken = [(m.start, m.end) for m in mentions]
    starts = [s.start for s in layout.sentences]
    out = []
    for a, b, e in role_mentions(text, keys):
        if any(x < b and a < y for x, y in taken):
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
    after = text[end:end + 20].split()
    before = text[max(0, start - 20):start].split()
    for word in (after[0] if after else "", before[-1] if before else ""):
        found = kinds.get(word.strip(",.;:’'").lower())
        if found and word[:1].islower():
            return found[0]
    return None


def _before_place_word(text: str, end: int) -> bool:
    after = text[end:end + 20].split()
    return bool(after) and after[0].strip(",.;").lower() in lexicon.words("location_words")


def _location_context(text: str, start: int, one_word: bool = False) -> bool:
    before = text[max(0, start - 40):start].lower().split()
    if not before:
        return False
    if before[-1] in LOCATION_PREPS or (one_word and before[-1] in WEAK_LOCATION_PREPS):
        return True
    return len(before) >= 2 and before[-1] == "of" and before[-2] in lexicon.words("location_words")


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


def _pronoun_mentions(slots, mentions: list[Mention], entities: list[Entity],
                      genders: dict[int, str]) -> list[Mention]:
    """he/she/him/his/her -> a person of the same known gender mentioned in the pronoun's sentence or
    up to PRONOUN_SENTENCES_BACK before it, the nearest sentence first. Within a sentence `he`/`she`
    takes the first such person (the subject, the one the text is about: `Mr Croucher said Mr Houston's
    views ... He said`); `him`/`his`/`her` the nearest (`with Cech organising his wall`). A linked
    pronoun counts as a mention of its person for the pronouns after it. Unknown gender: no link."""
    people = sorted((m for m in mentions if entities[m.entity].entity_type == "person"), key=lambda m: m.start)
    by_sentence: dict[int, list[int]] = {}  # sentence_no -> person entities in reading order
    out = []
    k = 0
    for start, end, sentence_no, pronoun_gender, nominative in slots:
        while k < len(people) and people[k].start < start:
            by_sentence.setdefault(people[k].sentence_no, []).append(people[k].entity)
            k += 1
        for back in range(PRONOUN_SENTENCES_BACK + 1):
            fits = [e for e in by_sentence.get(sentence_no - back, ()) if genders.get(e) == pronoun_gender]
            if fits:
                e = fits[0] if nominative else fits[-1]
                out.append(Mention(start, end, sentence_no, e, "pronoun"))
                by_sentence.setdefault(sentence_no, []).append(e)
                break
    return out


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
