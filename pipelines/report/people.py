"""Sources across articles: one person (or organisation, group...) per entity, else per normalised name.

`person_key` names a person's page; `people(...)` gathers, from warehouse rows as plain dicts, every
quote and claim of each person grouped by article, and whom they talk about. No I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

SLUG_CHARS = 40  # characters of the name kept in a page name


def normalised_name(name: str) -> str:
    return " ".join(name.casefold().split())


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


def _display_name(names: Counter) -> str:
    return max(names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def _items(claims: list[dict], quotes: list[dict], key_of: dict[str, str]) -> dict[str, dict[str, list[dict]]]:
    """Per person key, per article: claims and the quotes that are not part of one of their claims."""
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    theirs = set()
    for c in claims:
        key = key_of.get(c["source_id"] or "")
        if key:
            theirs.add(c["claim_id"])
            out[key][c["article_id"]].append({"anchor": anchor(c["claim_id"]), "type": c["claim_type"],
                                              "text": c["text"], "hedged": c["hedged"], "display": c["is_display"],
                                              "at": c["char_start"]})
    for q in quotes:
        key = key_of.get(q["source_id"] or "")
        if key and q["claim_id"] not in theirs:
            out[key][q["article_id"]].append({"anchor": anchor(q["quote_id"]), "type": f"{q['quote_type']} quote",
                                              "text": q["text"], "hedged": False, "display": False,
                                              "at": q["char_start"]})
    return out


def _talks_about(claims: list[dict], claim_entities: list[dict], key_of: dict[str, str]) -> dict[str, Counter]:
    speaker_of = {c["claim_id"]: key_of[c["source_id"]] for c in claims if c["source_id"] in key_of}
    about: dict[str, Counter] = defaultdict(Counter)
    for ce in claim_entities:
        key = speaker_of.get(ce["claim_id"])
        if key and ce["role"] == "mentioned" and ce["entity_id"] != key:
            about[key][ce["entity_id"]] += 1
    return about


def people(articles: dict[str, dict], sources: list[dict], claims: list[dict], quotes: list[dict],
           claim_entities: list[dict], entities: dict[str, dict]) -> list[dict]:
    """One dict per person, most quoted first: name, key, types, roles, counts, articles with items, talks_about."""
    key_of = {s["source_id"]: person_key(s["entity_id"], s["name"]) for s in sources}
    grouped: dict[str, list[dict]] = defaultdict(list)
    for s in sources:
        grouped[key_of[s["source_id"]]].append(s)
    items, about = _items(claims, quotes, key_of), _talks_about(claims, claim_entities, key_of)
    out = []
    for key, rows in grouped.items():
        by_article = items.get(key, {})
        arts = sorted({r["article_id"] for r in rows},
                      key=lambda a: (str(articles[a].get("published_on") or ""), articles[a]["source_path"]))
        out.append({
            "key": key, "href": person_href(key), "name": _display_name(Counter(r["name"] for r in rows)),
            "types": sorted({r["source_type"] for r in rows}),
            "roles": sorted({r["role"] for r in rows if r["role"]}),
            "n_quotes": sum(r["n_quotes"] for r in rows), "n_claims": sum(r["n_claims"] for r in rows),
            "articles": [{**articles[a], "said": sorted(by_article.get(a, []), key=lambda i: i["at"])} for a in arts],
            "talks_about": [{"name": entities[e]["canonical_name"], "type": entities[e]["entity_type"], "n": n,
                             "href": person_href(e) if e in grouped else None}
                            for e, n in about.get(key, Counter()).most_common() if e in entities],
        })
    return sorted(out, key=lambda p: (-p["n_quotes"], -p["n_claims"], p["name"]))
