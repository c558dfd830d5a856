"""Sources: who each attribution's source words refer to, one source per speaker per article.

A name resolves to its entity (so `Yusuf` and `Moeed Yusuf` are one source, named by the fullest
form). A pronoun or a description that points back (`he`, `she`, `it`, `they`, `who`, `the
company`, `the minister`) resolves to its antecedent through `coref.py` (the last speaker or
subject whose type and gender fit); without one it becomes `unnamed person` / `unnamed
organisation` / `unnamed company`, never the function word itself. An anonymous source introduced
as `a party official` and referred to later as `the official` or `the source` is one source; an
indefinite role (`a spokesman`) is a new anonymous source. Documents are named by their author
when the article gives one (`report by the National Audit Office`, `NAO report`, `Tony Blair's
report`), else `unnamed report`; a document does not want or plan, and a time phrase (`this
year said`) is never a source. A capital standing for its government (`Islamabad said`) is typed
`government`. `resolve` returns None for source words that cannot speak: the sentence then stays
the author's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from pipelines.text import lexicon
from pipelines.text.coref import SPEAKER, Candidate, Coref, words_gender
from pipelines.text.entities import EntityResult
from pipelines.text.frame_words import section
from pipelines.text.roles import clean_role, opens_with_title, split_title
from pipelines.text.source_choice import NP_PREPOSITIONS, _speaker_noun
from pipelines.text.tokens import tokenize

ROLE_HEADS = frozenset({"ruler", "minister", "president", "leader", "chief", "spokesman", "spokeswoman", "spokesperson",
                        "secretary", "senator", "governor", "mayor", "general", "commander", "director", "chairman",
                        "candidate", "nominee", "adviser", "advisor", "ambassador", "envoy", "premier", "king",
                        "queen", "official", "aide", "lawyer", "attorney", "prosecutor", "judge", "founder", "ceo",
                        "host", "author", "economist", "professor", "officer", "man", "woman", "father", "mother"})
# Source words that only point back at someone named before.
INDEFINITE = frozenset({"a", "an", "one", "another"})
DEFINITE = frozenset({"the", "this", "that"})
ARTICLES = DEFINITE | INDEFINITE | {"these", "those"}
# Prepositions after the head noun of a description (`analysis of …`, `a study by …`, `lawyers for …`).
HEAD_PREPOSITIONS = section("head_prepositions")
PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # `MPs`, `CEOs`, `MEPs`: people, more than one
RELATIVE_LOOKBACK = 20  # characters before `who` in which its comma and the phrase's end are looked for
POSSESSIVE_DETERMINERS = frozenset({"his", "her", "its", "their"})
QUANTIFIERS = frozenset({"some", "many", "others", "most", "few", "several", "both", "all"})
GENERIC_ANONYMOUS = frozenset({"source", "person", "insider"})  # "the source" may be any one unnamed source
ORGANISATION_HEADS = frozenset({"firm", "company", "group", "organisation", "organization", "business", "carrier", "manufacturer", "retailer", "maker",
                                "operator", "lender", "insurer", "broadcaster", "publisher", "charity", "club"})
GOVERNMENT_HEADS = frozenset({"government", "administration", "ministry", "regime"})
ENTITY_SOURCE_TYPE = {"person": "person", "organisation": "organisation", "group": "group", "other": "organisation"}


@dataclass(slots=True)
class Source:
    source_id: str
    name: str
    source_type: str
    entity_index: int | None
    role: str | None = None


def source_id(article_id: str, name: str, source_type: str) -> str:
    digest = hashlib.sha256(f"{source_type}|{name.lower()}".encode()).hexdigest()[:10]
    return f"{article_id}:s:{digest}"


class SourceResolver:
    """Turns source spans into Source records, remembering what the article has named so far."""

    def __init__(self, article_id: str, text: str, entities: EntityResult,
                 sentences: list[tuple[int, int]] | None = None, quotes: list[tuple[int, int]] | None = None):
        self.article_id = article_id
        self.text = text
        self.entities = entities
        self.coref = Coref(text, entities, sentences or [(0, len(text))], quotes or [])
        self.sources: dict[str, Source] = {}
        self.history: list[tuple[int, Source]] = []  # (offset, source) in reading order
        self.by_end: dict[int, Source] = {}  # the source whose words end at an offset
        self.speakers: list[Candidate] = []

    def _get(self, name: str, stype: str, entity_index: int | None, role: str | None) -> Source:
        if stype == "person":
            name, title = split_title(name)
            role = role or title
            if opens_with_title(name):  # "leader of the opposition": a role held by someone not named here
                stype = "anonymous"
        role = clean_role(role)
        sid = source_id(self.article_id, name, stype)
        src = self.sources.get(sid)
        if src is None:
            src = self.sources[sid] = Source(sid, name, stype, entity_index, role)
        elif role and not src.role:
            src.role = role
        return src

    def _from_entity(self, idx: int, role: str | None) -> Source:
        e = self.entities.entities[idx]
        if e.entity_type == "other" and not e.evidenced:
            e.entity_type = "organisation"  # a named thing that speaks is an organisation, here and in entities
        role = role or self.entities.roles.get(idx)
        if e.entity_type == "other":
            stype = "document"  # a work or a law the text names as one (`the Vox Populi column said`)
        elif e.entity_type == "location":
            stype = "government"
        else:
            stype = ENTITY_SOURCE_TYPE.get(e.entity_type, "organisation")
        return self._get(e.name, stype, idx, role)

    def _from_candidate(self, c: Candidate, role: str | None) -> Source:
        if c.ref is not None:
            src = c.ref
            if role and not src.role:
                src.role = role
            return src
        return self._from_entity(c.entity, role)

    def _nearest(self, before: int, types: set[str]) -> Source | None:
        for off, src in reversed(self.history):
            if off < before and src.source_type in types:
                return src
        return None

    def _same_head(self, a: int, head: str) -> Source | None:
        """The latest earlier unnamed source described with the same head noun."""
        for off, src in reversed(self.history):
            if off < a and src.entity_index is None and src.name.split()[-1].lower() == head:
                return src
        return None

    def _antecedent(self, a: int, kinds: set[str], gender: str | None, role: str | None) -> Source | None:
        c = self.coref.antecedent(a, kinds, gender, self.speakers)
        return self._from_candidate(c, role) if c is not None else None

    def resolve(self, span: tuple[int, int] | None, role: str | None = None, cue_class: str = "speech") -> Source | None:
        """The source of an attribution whose source words are `span`; None when those words cannot
        speak (`this year said`, `the British pound rose … to break`, `the report hopes`)."""
        if span is None:  # "it is believed that …"
            return self._get("unnamed sources", "anonymous", None, role)
        a, b = span
        words = [t for t in tokenize(self.text, a, b) if t.is_word]
        src = self._resolve(a, b, words, role)
        if src is not None and src.source_type == "document" and cue_class == "intent":
            src = None  # documents state and show; they do not want or plan
        if src is None:
            return None
        self.history.append((a, src))
        self.by_end[b] = src
        gender = self.coref.genders.get(src.entity_index) if src.entity_index is not None else None
        kind = "person" if src.source_type == "person" or _one_unnamed_person(src) else src.source_type
        self.speakers.append(Candidate(a, self.coref.sentence_of(a), SPEAKER, kind,
                                       gender or words_gender(src.name.split() + (src.role or "").split()), ref=src))
        return src

    def _resolve(self, a: int, b: int, words: list, role: str | None) -> Source | None:
        surface = self.text[a:b]
        low = [w.lower.replace("’", "'").split("'")[0] for w in words]  # "he’s" -> "he"
        head = _head_word(words, low)
        if not words or all(w in ARTICLES for w in low):
            return self._get("unnamed person", "anonymous", None, role)  # "The" alone names nobody
        if low == ["there"]:  # "There were fears that …", as "it is feared that …": nobody is named
            return self._get("unnamed sources", "anonymous", None, role)
        if self._names_joined(words, low):  # "Smith and Jones said": both speak, as one group
            return self._get(_description(surface), "group", None, role)
        holder = self._holder_before_preposition(words, low)
        if holder is not None:  # "Lawyers for Smith": the lawyers speak, Smith is only named
            return self._get(_description(surface), holder, None, role)
        # the mention holding the head word: in "Pakistan’s military ruler" the name is only a possessor
        mention = self.entities.mention_at(words[-1].start, words[-1].end)
        if mention is None and len(words) > 1 and words[-1].text.isupper() and head in lexicon.words("person_titles"):
            mention = self.entities.mention_at(words[-2].start, words[-2].end)  # "Peter Ainsworth MP"
        if mention is not None and mention.mention_type != "pronoun":
            return self._from_entity(mention.entity, role or _title_role(self.text, a, mention.start))
        if len(words) == 1:
            src = self._pronoun(a, head, surface, role)
            if src is not None:
                return src
        if head in lexicon.words("document_nouns"):
            return self._document(a, low, head, surface, role)
        if head in lexicon.words("anonymous_sources") or (head in ROLE_HEADS and low[0] in INDEFINITE):
            src = self._anonymous(a, low, head, surface, role)
            if src is not None:
                return src
        if head in ROLE_HEADS or head in lexicon.words("person_titles"):
            desc = _description(surface)
            named = [c for c in self.speakers if not c.ref.name.startswith("unnamed ")]
            c = self.coref.antecedent(a, {"person"}, words_gender(low), named)  # a role is held by someone named
            return self._from_candidate(c, role or desc) if c is not None else self._get(desc, "person", None, role)
        if head in lexicon.words("organisation_words") or head in ORGANISATION_HEADS:
            return self._organisation(a, low, head, surface, role)
        if head.rstrip("s") in lexicon.words("document_nouns"):
            return self._get(_description(surface), "document", None, role)  # "reports say"
        if head in lexicon.words("time_nouns"):
            # "this year said": a time is never a speaker; it stands where the sentence's subject was
            # meant ("X turned to Y and in September this year said …")
            c = self.coref.sentence_subject(a)
            return self._from_candidate(c, role) if c is not None else None
        # an unresolved description or name; a plural acronym (`MPs`, `Tory MPs`, `CEOs`) is a group
        stype = "person" if words[-1].is_capitalised and not PLURAL_ACRONYM.fullmatch(words[-1].text) else "group"
        return self._get(_description(surface), stype, None, role)

    def _names_joined(self, words: list, low: list[str]) -> bool:
        """Are the source words two names joined by `and` (`Smith and Jones`, `Barclays and HSBC`): a
        name ends right before `and` and another starts right after it?"""
        if "and" not in low[1:-1]:
            return False
        i = low.index("and", 1)
        left = self.entities.mention_at(words[i - 1].start, words[i - 1].end)
        right = self.entities.mention_at(words[i + 1].start, words[i + 1].end)
        return left is not None and right is not None and left is not right and right.start == words[i + 1].start \
            and left.end == words[i - 1].end and "pronoun" not in (left.mention_type, right.mention_type)

    def _holder_before_preposition(self, words: list, low: list[str]) -> str | None:
        """The source type of `analysts at Barclays`, `lawyers for Smith` (people: anonymous or group) and
        `the chief executive of Barclays`, `the head of the BBC` (one who holds a role, unnamed: anonymous): a noun
        outside every name before the phrase's first preposition, whose object is a name. None for
        anything else: a description without a name (`residents of the town`), a name holding the noun
        (`Physicians for Social Responsibility`), one who speaks for the name (`a spokesman for
        Barclays`, `an official of the party`: the organisation speaks through them, as before)."""
        named = self.entities.mention_at(words[-1].start, words[-1].end) if words else None
        for i in range(1, len(low) - 1):
            if low[i] in NP_PREPOSITIONS:
                noun, before = low[i - 1], words[i - 1]
                if self.entities.mention_at(before.start, before.end) is not None or named is None \
                        or named.mention_type == "pronoun" or named.start <= words[i].start \
                        or "," in self.text[words[i].end:named.start]:
                    return None  # (a comma: "the chairman of the committee, Barry Sheerman": he is named)
                if _people_noun(noun):
                    return _kind_of_plural(noun)
                holder = before.text[:1].islower() and noun in lexicon.words("role_nouns")
                # someone holding a role, not named here: anonymous, as `a party official`
                return "anonymous" if holder and noun not in lexicon.words("anonymous_sources") \
                    and not noun.startswith("spokes") else None
        return None

    def _pronoun(self, a: int, head: str, surface: str, role: str | None) -> Source | None:
        """`he`, `she`, `it`, `they`, `who`, `which`, `some`: the antecedent, never the word itself."""
        if head in {"he", "she", "him", "her", "i"}:
            gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(head)
            return self._antecedent(a, {"person"}, gender, role) or self._get("unnamed person", "anonymous", None, role)
        if head == "who":  # "…, who said": the speaker or name just before
            lo = max(0, a - RELATIVE_LOOKBACK)
            before = self.text[lo:a].rstrip()
            if before.endswith(","):  # "“…,” said the mayor, who added …": the source that phrase named
                named = self.by_end.get(lo + len(before[:-1].rstrip()))
                if named is not None:
                    return named
            c = self.coref.nearest(a, {"person"})
            return self._from_candidate(c, role) if c else self._get("unnamed person", "anonymous", None, role)
        if head in {"it", "which"}:
            return (self._antecedent(a, {"organisation", "government", "document"}, None, role)
                    or self._get("unnamed organisation", "anonymous", None, role))
        if head in {"they", "we"}:
            return (self._nearest(a, {"group", "organisation", "government", "anonymous"})
                    or self._antecedent(a, {"group", "organisation", "government"}, None, role)
                    or self._get("unnamed sources", "anonymous", None, role))
        if head in QUANTIFIERS:
            return self._get(surface.lower(), "anonymous", None, role)
        return None

    def _anonymous(self, a: int, low: list[str], head: str, surface: str, role: str | None) -> Source | None:
        """`a party official` … `the official` / `the source`: one anonymous source, not a new group."""
        if low[0] in DEFINITE and len(low) <= 2 and not head.endswith("s"):
            for off, src in reversed(self.history):
                if off < a and src.source_type == "anonymous" and not src.name.endswith("s") and (
                        head in GENERIC_ANONYMOUS or src.name.split()[-1] == head):
                    return src
            if head in ROLE_HEADS:
                return None  # "the minister": a role, resolved to the person who holds it
        desc = _description(surface)
        return self._get(f"unnamed {desc}" if desc in GENERIC_ANONYMOUS else desc, "anonymous", None, role)

    def _organisation(self, a: int, low: list[str], head: str, surface: str, role: str | None) -> Source:
        """`the company said`: the organisation the article named before; else a descriptive name."""
        desc = _description(surface)
        kinds = {"government"} if head in GOVERNMENT_HEADS else {"organisation", "group"}
        if low[0] in DEFINITE or low[0] in POSSESSIVE_DETERMINERS:
            same = self._same_head(a, head)  # "the cross-party group" … "the group"
            if same is not None:
                return same
            c = self.coref.antecedent(a, kinds, None, self.speakers) or self.coref.subject_before(a, kinds)
            if c is not None and len(desc.split()) == 1:  # "the cross-party group" may be new; "the group" is not
                return self._from_candidate(c, role)
        if len(desc.split()) == 1 and head in ORGANISATION_HEADS:  # "the firm": which one is not known
            return self._get(f"unnamed {head}", "organisation", None, role)
        return self._get(desc, "government" if head in GOVERNMENT_HEADS else "organisation", None, role)

    def _document(self, a: int, low: list[str], head: str, surface: str, role: str | None) -> Source:
        """`the report said`: the document named before (`a report by the Audit Office`), or one
        named after its author (`his report` -> `Tony Blair's report`), else `unnamed report`."""
        desc = _description(surface)
        if low[0] in POSSESSIVE_DETERMINERS and len(low) == 2:
            kinds = {"person"} if low[0] in {"his", "her"} else {"organisation", "government", "group"}
            gender = {"his": "m", "her": "f"}.get(low[0])
            c = self.coref.antecedent(a, kinds, gender, self.speakers)
            if c is not None:
                owner = self._from_candidate(c, None)
                return self._get(f"{owner.name}'s {head}", "document", None, role)
        if low[0] in DEFINITE or len(desc.split()) == 1:
            for off, src in reversed(self.history):
                if off < a and src.source_type == "document" and src.name.split()[-1].lower() in (head, head + "s"):
                    return src
            named = _named_document(self.text, a, head)
            if named:
                return self._get(named, "document", None, role)
        if len(desc.split()) == 1:
            # "The National Audit Office said … The report said": the organisation just heard from wrote it
            author = self.coref.antecedent(a, {"organisation", "government"}, None,
                                           [c for c in self.speakers if c.ref.entity_index is not None])
            if author is not None and author.rank == SPEAKER:
                return self._get(f"{self._from_candidate(author, None).name} {head}", "document", None, role)
            return self._get(f"unnamed {head}", "document", None, role)
        return self._get(desc, "document", None, role)


def _head_word(words: list, low: list[str]) -> str:
    """The head of a description: its last word, or the last word before a preposition that follows a
    lower-case noun (`analysis of the media market` -> `analysis`, `A 2014 study by X` -> `study`)."""
    for i in range(1, len(low) - 1):
        if low[i] in HEAD_PREPOSITIONS and words[i - 1].text[:1].islower():
            return low[i - 1]
    return low[-1] if low else ""


@cache
def _speaker_words() -> frozenset[str]:
    return lexicon.words("speaker_nouns") | lexicon.words("anonymous_sources")


def _people_noun(word: str) -> bool:
    """A plural noun that can head a speaker's description (`analysts`, `lawyers`, `traders`, `polls`): the
    subject reader's rule (`source_choice._speaker_noun`) over the speaker words (organisation words such as
    `executives` are left to the name: `Executives for Mondelez` is Mondelez speaking), plurals only."""
    return word.endswith(("s", "men")) and _speaker_noun(word, _speaker_words())


def _kind_of_plural(noun: str) -> str:
    """The source type of a plural description: `polls in Ohio` (document), `newspapers in Texas`
    (organisation), `officials in Ohio` (anonymous), `traders in London` (group)."""
    one = noun[:-1]
    if noun in lexicon.words("document_nouns") or one in lexicon.words("document_nouns"):
        return "document"
    if noun in lexicon.words("organisation_words") or one in lexicon.words("organisation_words"):
        return "organisation"
    return "anonymous" if noun in lexicon.words("anonymous_sources") else "group"


def _one_unnamed_person(src: Source) -> bool:
    """`a spokesman`, `the official`: an anonymous source that `he` or `she` can point back to."""
    head = src.name.split()[-1].lower()
    return src.source_type == "anonymous" and (head in ROLE_HEADS or head in GENERIC_ANONYMOUS) and not head.endswith("s")


def _named_document(text: str, before: int, head: str) -> str | None:
    """The last earlier phrase naming a document of this kind by its author: `a report by the
    National Audit Office`, `the Audit Office's report`, `a Jupiter Research survey`."""
    h = re.escape(head)
    name = r"(?:the\s+)?([A-Z][\w&’'.\-]*(?:\s+(?:of|and|for|on|&|[A-Z][\w&’'.\-]*))*[\w.])"
    found = None
    for m in re.finditer(rf"\b{h}s?\s+(?:(?:published|released|commissioned|carried\s+out|compiled)\s+)?"
                         rf"(?:by|from)\s+{name}", text[:before]):
        found = (m.start(), f"{head} by {m.group(1)}")
    # `the Audit Office's latest report` (a possessive may take modifiers) or `a Jupiter Research survey`
    for m in re.finditer(rf"{name}(?:(?:’s|'s)\s+(?:[a-z\-]+\s+){{0,2}}|\s+){h}\b", text[:before]):
        if found is None or m.start() > found[0]:
            owner = m.group(1)
            first = owner.split()[0].lower()
            if first not in section("determiners") and first not in section("boundary"):
                found = (m.start(), f"{owner} {head}")
    return found[1] if found else None


def _description(surface: str) -> str:
    words = surface.split()
    while words and words[0].lower() in section("determiners") and len(words) > 1 and words[1].lower() != "of":
        words = words[1:]
    return " ".join(words) if words else surface


def _title_role(text: str, a: int, name_start: int) -> str | None:
    """Words of the source phrase before the name: `Army chief General` in `Army chief General X`."""
    if name_start <= a:
        return None
    role = text[a:name_start].strip(" ,")
    words = role.split()
    # keep the title words: drop what opens the phrase but is not part of a title ("In 2010", "the")
    while words and (words[0].lower() in section("determiners") or words[0].lower() in section("boundary")
                     or words[0].strip(",").isdigit()):
        words = words[1:]
    return " ".join(words).strip(" ,") or None
