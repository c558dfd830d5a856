"""Rendering the annotated article pages and the index from warehouse rows (no Dagster, no I/O).

`article_page(...)` takes one article's rows as plain dicts and returns HTML; `index_page(...)`
lists the articles. Jinja2 escapes every piece of article text, so `<script>` in an article shows
as text. Overlapping annotations (a cue inside a quote, a hedge inside a claim) are flattened into
pieces, each carrying the classes of every annotation that covers it.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import jinja2

from pipelines.text.claims import hedge_spans

PALETTE = ["#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffc6ff", "#fdffb6", "#a0c4ff", "#ffadad",
           "#d0f4de", "#e4c1f9", "#fcf6bd", "#a9def9"]


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("pipelines.report", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def _pieces(text: str, start: int, end: int, marks: list[tuple[int, int, str, str | None, str | None]]) -> list[dict]:
    """Split text[start:end] at every mark boundary; each piece carries the marks covering it."""
    inside = [(max(a, start), min(b, end), cls, style, title) for a, b, cls, style, title in marks if a < end and start < b]
    cuts = sorted({start, end, *(a for a, *_ in inside), *(b for _, b, *_ in inside)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in inside if m[0] <= a and b <= m[1]]
        classes = " ".join(dict.fromkeys(c for _, _, c, _, _ in covering))
        style = next((s for *_, s, _ in covering if s), None)
        title = next((t for *_, t in covering if t), None)
        pieces.append({"text": text[a:b], "classes": classes, "style": style, "title": title})
    return pieces


def article_page(article: dict, paragraphs: list[dict], quotes: list[dict], claims: list[dict], sources: list[dict],
                 mentions: list[dict], entities: dict[str, dict], times: list[dict]) -> str:
    """The annotated page of one article."""
    text = article["text"]
    ordered = sorted(sources, key=lambda s: (-s["n_quotes"], -s["n_claims"], s["name"]))
    colour = {s["source_id"]: PALETTE[i % len(PALETTE)] for i, s in enumerate(ordered)}
    names = {s["source_id"]: s["name"] for s in sources}
    marks: list[tuple[int, int, str, str | None, str | None]] = []
    for q in quotes:
        sid = q["source_id"]
        if sid:
            marks.append((q["char_start"], q["char_end"], "q", f"background: {colour[sid]}",
                          f"{names[sid]} ({q['quote_type']}, {q['attribution']})"))
        else:
            marks.append((q["char_start"], q["char_end"], "q none", None, f"{q['quote_type']} quote, no speaker"))
    for c in claims:
        if c["cue_start"] is not None:
            marks.append((c["cue_start"], c["cue_end"], "cue", None, f"cue: {c['cue']}"))
        if c["hedged"]:
            for a, b in hedge_spans(text, c["char_start"], c["char_end"]):
                marks.append((a, b, "hedge", None, "hedge"))
    paras = [{"no": p["paragraph_no"], "kind": p["kind"], "pieces": _pieces(text, p["char_start"], p["char_end"], marks)}
             for p in sorted(paragraphs, key=lambda p: p["paragraph_no"])]
    by_type: dict[str, list[str]] = {}
    for eid in dict.fromkeys(m["entity_id"] for m in mentions):
        e = entities.get(eid)
        if e:
            by_type.setdefault(e["entity_type"], []).append(e["canonical_name"])
    years = Counter(t["year"] for t in times if t["year"] is not None)
    return _env().get_template("article.html").render(
        title=article.get("title") or article["source_path"], article_id=article["article_id"],
        source_path=article["source_path"], published_on=article.get("published_on"), n_words=article["n_words"],
        n_claims=sum(1 for c in claims if not c["is_display"]), n_quotes=len(quotes), paragraphs=paras,
        sources=[{**s, "colour": colour[s["source_id"]]} for s in ordered],
        entities=sorted((t, sorted(set(n))) for t, n in by_type.items()), years=sorted(years.items()),
    )


def index_page(articles: list[dict]) -> str:
    """The list of articles with their counts (dicts with title, source_path, n_* keys)."""
    return _env().get_template("index.html").render(articles=articles)
