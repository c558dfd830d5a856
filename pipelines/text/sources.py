"""Sources: who each attribution's source words refer to, one source per speaker per article.

A name resolves to its entity (so `Yusuf` and `Moeed Yusuf` are one source, named by the fullest
form). A pronoun resolves through the entity layer's pronoun links, else to the nearest earlier
source that fits (`he`/`she` a person, `it` an organisation, government or document, `they` a
group). A description resolves to a person mentioned just before when its head is a role
(`Pakistan’s military ruler`, `the minister`); unnamed crowds (`sources`, `officials`, `powerful
voices`) are anonymous; `a 2017 article`, `the report` are documents. A capital standing for its
government (`Islamabad said`) is typed `government`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipelines.text import lexicon
from pipelines.text.entities import EntityResult
from pipelines.text.frame_words import section
from pipelines.text.roles import clean_role, split_title
from pipelines.text.tokens import tokenize

ROLE_HEADS = frozenset({"ruler", "minister", "president", "leader", "chief", "spokesman", "spokeswoman", "spokesperson",
                        "secretary", "senator", "governor", "mayor", "general", "commander", "director", "chairman",
                        "candidate", "nominee", "adviser", "advisor", "ambassador", "envoy", "premier", "king",
                        "queen", "official", "aide", "lawyer", "attorney", "prosecutor", "judge", "founder", "ceo",
                        "host", "author", "economist", "professor", "officer", "man", "woman", "father", "mother"})
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

    def __init__(self, article_id: str, text: str, entities: EntityResult):
        self.article_id = article_id
        self.text = text
        self.entities = entities
        self.sources: dict[str, Source] = {}
        self.history: list[tuple[int, Source]] = []  # (offset, source) in reading order

    def _get(self, name: str, stype: str, entity_index: int | None, role: str | None) -> Source:
        if stype == "person":
            name, title = split_title(name)
            role = role or title
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
        if e.entity_type == "other":
            e.entity_type = "organisation"  # a named thing that speaks is an organisation, here and in entities
        role = role or self.entities.roles.get(idx)
        if e.entity_type == "location":
            stype = "government"
        else:
            stype = ENTITY_SOURCE_TYPE.get(e.entity_type, "organisation")
        return self._get(e.name, stype, idx, role)

    def _nearest(self, before: int, types: set[str]) -> Source | None:
        for off, src in reversed(self.history):
            if off < before and src.source_type in types:
                return src
        return None

    def _nearest_person_mention(self, before: int) -> int | None:
        best = None
        for m in self.entities.mentions:
            if m.start >= before:
                break
            if self.entities.entities[m.entity].entity_type == "person":
                best = m.entity
        return best

    def resolve(self, span: tuple[int, int] | None, role: str | None = None) -> Source:
        if span is None:  # "it is believed that …"
            return self._get("unnamed sources", "anonymous", None, role)
        a, b = span
        words = [t for t in tokenize(self.text, a, b) if t.is_word]
        surface = self.text[a:b]
        low = [w.lower.replace("’", "'").split("'")[0] for w in words]  # "he’s" -> "he"
        head = low[-1] if low else ""
        src: Source | None = None
        # the mention holding the head word: in "Pakistan’s military ruler" the name is only a possessor
        mention = self.entities.mention_at(words[-1].start, words[-1].end) if words else None
        title_role = _title_role(self.text, a, mention.start if mention else b)
        if mention is not None and (mention.mention_type != "pronoun" or len(words) == 1):
            src = self._from_entity(mention.entity, role or title_role)
        elif len(words) == 1 and head in {"he", "she", "him", "i"}:
            src = self._nearest(a, {"person"})
            if src is None:
                idx = self._nearest_person_mention(a)
                src = self._from_entity(idx, role) if idx is not None else self._get(surface, "person", None, role)
        elif len(words) == 1 and head == "who":
            idx = self._nearest_person_mention(a)
            src = self._from_entity(idx, role) if idx is not None else self._get("unnamed person", "anonymous", None, role)
        elif len(words) == 1 and head == "which":
            src = self._nearest(a, {"organisation", "government", "document", "group"}) or self._get(
                "unnamed organisation", "anonymous", None, role)
        elif len(words) == 1 and head in {"some", "many", "others", "most", "few", "several", "both", "all"}:
            src = self._get(surface.lower(), "anonymous", None, role)
        elif len(words) == 1 and head in {"it"}:
            src = self._nearest(a, {"organisation", "government", "document"}) or self._get(surface, "anonymous", None, role)
        elif len(words) == 1 and head in {"they", "we"}:
            src = self._nearest(a, {"group", "organisation", "government", "anonymous"}) or self._get(surface, "anonymous", None, role)
        elif head in lexicon.words("document_nouns"):
            src = self._get(_description(surface), "document", None, role)
        elif head in lexicon.words("anonymous_sources") and (
            not low or low[0] not in {"the", "this", "that"} or len(low) > 2 or head.endswith("s")
        ):
            src = self._get(_description(surface), "anonymous", None, role)
        elif head in ROLE_HEADS or head in lexicon.words("person_titles"):
            idx = self._nearest_person_mention(a)
            desc = _description(surface)
            src = self._from_entity(idx, role or desc) if idx is not None else self._get(desc, "person", None, role)
        if src is None:
            # an unresolved description or name
            stype = "organisation" if head in lexicon.words("organisation_words") else "person" if words and words[-1].is_capitalised else "group"
            src = self._get(_description(surface), stype, None, role)
        self.history.append((a, src))
        return src


def _description(surface: str) -> str:
    words = surface.split()
    while words and words[0].lower() in section("determiners") and len(words) > 1:
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
