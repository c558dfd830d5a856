"""Sources across articles: one person (or organisation, group...) per entity, else per normalised name.

`person_key` names a person's page (`corpus.PERSON_KEY` is the same rule in SQL, which is what the
pages use); `assemble(...)` turns what `corpus.people_in` fetched for a group of people into the
dicts the person pages render. No I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

SLUG_CHARS = 40  # characters of the name kept in a page name


def normalised_name(name: str) -> str:
    return " ".join(name.lower().split())


def person_key(entity_id: str | None, name: str) -> str:
    """The entity id when the source resolved to one, else a readable slug of the normalised name."""
    if entity_id:
        return entity_id
    norm = normalised_name(name)
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")[:SLUG_CHARS] or "source"
    return f"n-{slug}-{hashlib.sha256(norm.encode()).hexdigest()[:6]}"


def person_href(key: str) -> str:
    """Link to a person page from a page in the html folder."""
    return f"people/{key}.html"


def anchor(item_id: str) -> str:
    """The id of a claim or quote within its article page (`c120-180`, `q121-150`)."""
    return item_id.split(":", 1)[-1]


def claims_query(key: str, name: str) -> str:
    """The `python -m pipelines query` SQL listing every claim of a person page's person: by the
    entity their sources resolved to, else by the name (case and spacing aside, as the key groups)."""
    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    if key.startswith("n-"):
        where = f"s.entity_id IS NULL AND lower(s.name) = {literal(normalised_name(name))}"
    else:
        where = f"s.entity_id = {literal(key)}"
    return ("SELECT a.source_path, c.claim_type, c.text FROM claims c JOIN sources s USING (source_id) "
            f"JOIN articles a ON a.article_id = c.article_id WHERE {where} ORDER BY a.published_on, a.source_path, c.char_start")


def _said(item: dict) -> dict:
    return {"anchor": anchor(item["item_id"]), "type": item["type"], "text": item["text"], "hedged": item["hedged"],
            "display": item["display"], "at": item["at"]}


def assemble(people: list[dict], articles: list[dict], said: list[dict], talks: list[dict]) -> list[dict]:
    """One dict per person of `people` (in their order): name, key, types, roles, counts, the
    articles they speak in (by date, then path) with what they said there (in reading order), and
    whom they talk about (most often first)."""
    arts: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        arts[a["key"]].append(a)
    items: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for i in said:
        items[i["key"]][i["article_id"]].append(_said(i))
    about: dict[str, list[dict]] = defaultdict(list)
    for t in talks:
        about[t["key"]].append({"name": t["name"], "type": t["type"], "n": t["n"],
                                "href": person_href(t["entity_id"]) if t["is_person"] else None})
    out = []
    for p in people:
        key = p["key"]
        ordered = sorted(arts[key], key=lambda a: (str(a["published_on"] or ""), a["source_path"], a["article_id"]))
        out.append({
            "key": key, "href": person_href(key), "name": p["name"], "types": list(p["types"]),
            "roles": list(p["roles"]), "n_quotes": p["n_quotes"], "n_claims": p["n_claims"],
            "n_articles": p["n_articles"], "claims_query": claims_query(key, p["name"]),
            "articles": [{"article_id": a["article_id"], "title": a["title"], "source_path": a["source_path"],
                          "published_on": a["published_on"],
                          "said": sorted(items[key][a["article_id"]], key=lambda i: (i["at"], i["anchor"]))}
                         for a in ordered],
            "talks_about": about[key],
        })
    return out
