"""Rendering the article pages, the corpus dashboard and the person pages from warehouse rows
(no Dagster, no I/O).

`article_page(...)` takes one article's rows as plain dicts and returns HTML; `dashboard_page(...)`,
`person_page(...)` and `people_page(...)` render what `dashboard.py` and `people.py` computed. Every
piece of article text is escaped (by Jinja2, or by `_escape`, the same replacements, where a paragraph is
built in Python), so `<script>` in an article shows as text. Overlapping
annotations (a cue inside a quote, a hedge inside a claim) are flattened into pieces, each carrying
the classes of every annotation that covers it; anchors and speaker tags are inserted before the
piece where they stand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache

import jinja2
from markupsafe import Markup, escape

from pipelines.report import stamps
from pipelines.report.people import anchor, person_href, person_key
from pipelines.text.claims import hedge_spans

# light tints of clearly different hues (each speaker's name is also printed next to their words,
# so a reader never depends on telling two colours apart)
PALETTE = ["#9fd3f5", "#ffd966", "#b9e4a0", "#f7b6d8", "#d5b3f0", "#ffb3a7", "#7fd6c9", "#ffcb8e",
           "#a8b8ff", "#dcdcaa", "#c9c9c9", "#e6c9a8"]
OPENING_MARKS = "“‘\"'«„‚"
ATTRIBUTED_SPEECH = {"reported_speech"}  # claims whose content is highlighted besides their quotations
ARTICLE_ROOT = "../"  # article pages are in html/articles/: the dashboard and people/ are one folder up


class _RowEnvironment(jinja2.Environment):
    """Templates read plain dicts (rows): `row.text` looks the key up first. Jinja's own order (the
    attribute, then the key) raises and catches an AttributeError for every field shown; measured on
    250 article pages and the 5 largest person pages of the 10,000-article bench corpus (CPU time,
    load 6): 0.88 -> 0.59 s and 0.64 -> 0.42 s, the same bytes. A dict's methods are never called
    from the templates, so no key hides one."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _template(name: str) -> tuple[str, None, Callable[[], bool]]:
    """A template's source as `stamps.source` holds it (never read again: always up to date)."""
    return stamps.source(f"templates/{name}").decode("utf-8"), None, lambda: True


@cache
def _env() -> jinja2.Environment:
    return _RowEnvironment(loader=jinja2.FunctionLoader(_template), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)


# the page files as they are when the renderer is loaded: what it renders and what its stamps say
for _name in stamps.ARTICLE_FILES + stamps.CORPUS_FILES:
    stamps.source(_name)


Mark = tuple[int, int, str, str | None, str | None]


def _pieces(text: str, start: int, end: int, marks: list[Mark], inserts: dict[int, list[dict]] | None = None) -> list[dict]:
    """Split text[start:end] at every mark boundary; each piece carries the marks covering it and the
    inserts (anchors, speaker tags) that stand where it starts."""
    inserts = inserts or {}
    inside = [(max(a, start), min(b, end), cls, style, title) for a, b, cls, style, title in marks if a < end and start < b]
    here = [p for p in inserts if start <= p < end]
    cuts = sorted({start, end, *here, *(a for a, *_ in inside), *(b for _, b, *_ in inside)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in inside if m[0] <= a and b <= m[1]]
        classes = " ".join(dict.fromkeys(c for _, _, c, _, _ in covering))
        style = next((s for *_, s, _ in covering if s), None)
        title = next((t for *_, t in covering if t), None)
        pieces.append({"text": text[a:b], "classes": classes, "style": style, "title": title,
                       "before": inserts.get(a, [])})
    return pieces


def _escape(value) -> str:
    """`markupsafe.escape(value)` as text: a string gets markupsafe's five replacements without a
    Markup made for it (every piece of every article page passes here)."""
    if type(value) is not str:
        return str(escape(value))
    if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
        return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    return value


def _pieces_html(pieces: list[dict]) -> Markup:
    """A paragraph's pieces as HTML: what the article template wrote for them piece by piece (the
    anchors and speaker tags before a piece, then its text, in a span when marks cover it), every
    value escaped as Jinja escapes it; made here, once per paragraph, it takes a fraction of the time
    of the template's two nested loops (250 pages of the bench corpus, CPU, load 4.3-4.6: 2.72-2.95 s ->
    2.35-2.49 s per 1,500 pages with `_escape`; every one of 2,000 pages byte-identical)."""
    out = []
    esc = _escape
    for piece in pieces:
        for b in piece["before"]:
            if b["kind"] == "anchor":
                out.append(f'<a class="anchor" id="{esc(b["id"])}"></a>')
            else:
                out.append(f'<a class="who" href="{esc(b["href"])}" style="border-left-color: {esc(b["colour"])}">'
                           f'{esc(b["name"])}</a>')
        if piece["classes"]:
            style = f' style="{esc(piece["style"])}"' if piece["style"] else ""
            title = f' title="{esc(piece["title"])}"' if piece["title"] else ""
            out.append(f'<span class="{esc(piece["classes"])}"{style}{title}>{esc(piece["text"])}</span>')
        else:
            out.append(esc(piece["text"]))
    return Markup("".join(out))


def _tag_position(text: str, start: int) -> int:
    """Where a speaker tag goes: before the opening quotation mark when there is one."""
    return start - 1 if start > 0 and text[start - 1] in OPENING_MARKS else start


def _annotations(text: str, quotes: list[dict], claims: list[dict], speakers: dict[str, dict]):
    """Marks (quotes, reported speech, cues, hedges) and inserts (anchors, speaker tags) of one article."""
    marks: list[Mark] = []
    inserts: dict[int, list[dict]] = {}
    tagged: set[tuple[int, str]] = set()

    def tag(pos: int, sid: str) -> None:
        if (pos, sid) not in tagged:  # one tag per speaker and place, even when a quote and its claim start there
            tagged.add((pos, sid))
            inserts.setdefault(pos, []).append({"kind": "who", **speakers[sid]})

    for q in quotes:
        sid = q["source_id"]
        inserts.setdefault(q["char_start"], []).append({"kind": "anchor", "id": anchor(q["quote_id"])})
        if sid:
            s = speakers[sid]
            marks.append((q["char_start"], q["char_end"], "q", f"background: {s['colour']}",
                          f"{s['name']} ({q['quote_type']}, {q['attribution']})"))
            tag(_tag_position(text, q["char_start"]), sid)
        else:
            marks.append((q["char_start"], q["char_end"], "q none", None, f"{q['quote_type']} quote, no speaker"))
    for c in claims:
        inserts.setdefault(c["char_start"], []).append({"kind": "anchor", "id": anchor(c["claim_id"])})
        sid = c["source_id"]
        if sid and c["claim_type"] in ATTRIBUTED_SPEECH:
            s = speakers[sid]
            marks.append((c["char_start"], c["char_end"], "rs", f"--c: {s['colour']}", f"{s['name']} (reported speech)"))
            tag(_tag_position(text, c["char_start"]), sid)
        if c["cue_start"] is not None:
            marks.append((c["cue_start"], c["cue_end"], "cue", None, f"cue: {c['cue']}"))
        if c["hedged"]:
            for a, b in hedge_spans(text, c["char_start"], c["char_end"]):
                marks.append((a, b, "hedge", None, "hedge"))
    for items in inserts.values():  # anchors first, then tags, so a link lands before the speaker's name
        items.sort(key=lambda i: i["kind"] != "anchor")
    return marks, inserts


def article_page(article: dict, paragraphs: list[dict], quotes: list[dict], claims: list[dict], sources: list[dict],
                 mentions: list[dict], entities: dict[str, dict], times: list[dict]) -> str:
    """The annotated page of one article."""
    text = article["text"]
    ordered = sorted(sources, key=lambda s: (-s["n_quotes"], -s["n_claims"], s["name"]))
    speakers = {s["source_id"]: {"name": s["name"], "colour": PALETTE[i % len(PALETTE)],
                                 "href": ARTICLE_ROOT + person_href(s.get("key") or person_key(s["entity_id"], s["name"]))}
                for i, s in enumerate(ordered)}
    marks, inserts = _annotations(text, quotes, claims, speakers)
    paras = [{"no": p["paragraph_no"], "kind": p["kind"],
              "html": _pieces_html(_pieces(text, p["char_start"], p["char_end"], marks, inserts))}
             for p in sorted(paragraphs, key=lambda p: p["paragraph_no"])]
    by_type: dict[str, list[str]] = {}
    for eid in dict.fromkeys(m["entity_id"] for m in mentions):
        e = entities.get(eid)
        if e:
            by_type.setdefault(e["entity_type"], []).append(e["canonical_name"])
    years = Counter(t["year"] for t in times if t["year"] is not None)
    return _env().get_template("article.html").render(
        root=ARTICLE_ROOT, title=article.get("title") or article["source_path"], article_id=article["article_id"],
        source_path=article["source_path"], published_on=article.get("published_on"), n_words=article["n_words"],
        n_claims=sum(1 for c in claims if not c["is_display"]), n_quotes=len(quotes), paragraphs=paras,
        sources=[{**s, **speakers[s["source_id"]]} for s in ordered],
        entities=sorted((t, sorted(set(n))) for t, n in by_type.items()), years=sorted(years.items()),
    )


def dashboard_page(totals: dict, charts: dict[str, str], people: list[dict], notes: dict[str, str],
                   search_parts: int = 16) -> str:
    """The corpus dashboard: totals, SVG charts, people, the sortable article list (filled from
    `list/part-00.js` ..., one script per part) and the search box (over `search/part-00.js` ...,
    loaded on first use)."""
    return _env().get_template("index.html").render(
        totals=totals, charts={k: Markup(v) for k, v in charts.items()}, people=people, notes=notes,
        search_parts=search_parts)


def person_page(person: dict) -> str:
    """Everything one source said across articles, each item linking to its place in the article."""
    return _env().get_template("person.html").render(p=person, root="../")


def people_page(people: list[dict]) -> str:
    """Every source across the corpus, most quoted first."""
    return _env().get_template("people.html").render(people=people, root="../")
