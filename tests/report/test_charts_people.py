"""SVG charts are well-formed and escape their labels; sources group into people by entity or name."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pipelines.report import charts, corpus
from pipelines.report.people import anchor, assemble, person_key


def test_bars_are_well_formed_svg_with_escaped_labels_and_links():
    svg = charts.bars("Who <is> quoted", [("Tom & <Jerry>", 4, 1, "people/x.html"), ("Ann", 2, 0, None)],
                      legend=("claims", "hedged"))
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("text")]
    assert "Tom & <Jerry>" in texts and "4" in texts and "2" in texts
    assert [a.get("href") for a in root.iter("a")] == ["people/x.html"]
    widths = [float(r.get("width")) for r in root.iter("rect") if r.get("fill") == charts.BAR_COLOUR and r.get("height") != "10"]
    assert widths[0] == 2 * widths[1]  # bars are proportional to their values


def test_long_labels_are_cut_but_kept_whole_in_the_tooltip():
    label = "The Honourable Member for a Very Long Constituency Name"
    root = ET.fromstring(charts.bars("t", [(label, 1, 0, None)]))
    assert all(len(t.text) <= charts.MAX_LABEL for t in root.iter("text"))
    assert any(label in (t.text or "") for t in root.iter("title"))


def test_columns_and_empty_charts():
    root = ET.fromstring(charts.columns("Years", [("2019", 3), ("2020", 0), ("2021", 6)]))
    heights = [float(r.get("height")) for r in root.iter("rect")]
    assert heights[1] == 0 and heights[2] == 2 * heights[0]
    assert "no data" in charts.bars("t", []) and "no data" in charts.columns("t", [])


def test_person_key_by_entity_else_normalised_name():
    assert person_key("abc123", "Jane Okafor") == "abc123"
    assert person_key(None, "council  officials") == person_key(None, "Council Officials")
    assert person_key(None, "officials") != person_key(None, "council officials")
    assert person_key(None, "???").startswith("n-source-")
    assert anchor("0123456789abcdef:c10-20") == "c10-20"


def tables_of(rows: dict[str, list[dict]]):
    """An in-memory DuckDB holding every contract table, empty but for `rows`."""
    import duckdb

    from pipelines.schemas import SCHEMAS, duckdb_columns

    con = duckdb.connect()
    for table in SCHEMAS:
        cols = duckdb_columns(table)
        con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{n} {t}" for n, t in cols)})')
        for row in rows.get(table, []):
            con.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in cols)})',
                        [row.get(n) for n, _ in cols])
    return con


@pytest.mark.parametrize("name", ["Jane Okafor", "council  officials", "Council\u00a0Officials", "  ???  ",
                                  "Zoë O'Brien-Smith", "Dr. J. R. R. Tolkien, author of a very long book title here",
                                  "the Ministry\u2009of Defence", "ÉLYSÉE"])
def test_person_key_in_sql_is_the_python_rule(name):
    con = tables_of({"sources": [{"source_id": "a:s1", "article_id": "a", "entity_id": None, "name": name}]})
    assert con.execute(f"SELECT {corpus.PERSON_KEY} FROM sources").fetchone()[0] == person_key(None, name)


def test_people_groups_sources_across_articles_and_lists_whom_they_talk_about():
    arts = [{"article_id": "a1", "title": "One", "source_path": "one.txt", "text": "x", "n_words": 1},
            {"article_id": "a2", "title": "Two", "source_path": "two.txt", "text": "x", "n_words": 1}]
    src = lambda sid, aid, eid, name, nq: {"source_id": sid, "article_id": aid, "entity_id": eid, "name": name,  # noqa: E731
                                           "source_type": "person", "role": None, "n_quotes": nq, "n_claims": 1}
    sources = [src("a1:s1", "a1", "e1", "Jane Okafor", 1), src("a2:s1", "a2", "e1", "Okafor", 0),
               src("a2:s2", "a2", "e2", "Tom Reilly", 0)]
    claim = lambda cid, aid, sid, at: {"claim_id": cid, "article_id": aid, "source_id": sid, "claim_type": "direct_quote",  # noqa: E731
                                       "text": f"words {cid}", "hedged": False, "is_display": False, "char_start": at}
    claims = [claim("a1:c5-9", "a1", "a1:s1", 5), claim("a2:c1-4", "a2", "a2:s1", 1), claim("a2:c9-12", "a2", "a2:s2", 9)]
    quotes = [{"quote_id": "a1:q30-40", "article_id": "a1", "claim_id": None, "source_id": "a1:s1", "quote_type": "partial",
               "text": "a phrase", "char_start": 30}]
    links = [{"claim_id": "a1:c5-9", "entity_id": "e2", "role": "mentioned"},
             {"claim_id": "a1:c5-9", "entity_id": "e1", "role": "mentioned"}]
    entities = [{"entity_id": "e1", "canonical_name": "Jane Okafor", "entity_type": "person"},
                {"entity_id": "e2", "canonical_name": "Tom Reilly", "entity_type": "person"}]
    con = tables_of({"articles": arts, "sources": sources, "claims": claims, "quotes": quotes,
                     "claim_entities": links, "entities": entities})
    found = {p["key"]: p for p in assemble(*corpus.people_in(con, ["e1", "e2"]))}
    okafor = found["e1"]
    assert okafor["name"] == "Jane Okafor" and okafor["n_quotes"] == 1 and okafor["n_articles"] == 2
    assert [a["article_id"] for a in okafor["articles"]] == ["a1", "a2"]
    assert [i["anchor"] for i in okafor["articles"][0]["said"]] == ["c5-9", "q30-40"]
    assert okafor["talks_about"] == [{"name": "Tom Reilly", "type": "person", "n": 1, "href": "people/e2.html"}]
    assert found["e2"]["talks_about"] == []
    streamed = {p["key"]: p for rows in corpus.people_stream(con) for p in assemble(*rows)}
    assert streamed == found  # one person at a time, the same pages
    assert corpus.keys_of_articles(con, ["a2"]) == {"e1", "e2"}
    assert corpus.linking_keys(con, ["e2"]) == {"e1"}  # Jane Okafor's page links Tom Reilly's


def test_corpus_pages_of_an_empty_warehouse(tmp_path):
    """Every input failed: the dashboard, people list and search index still render, saying so."""
    from pipelines.report.publish import SEARCH_DIR, write_corpus_pages
    from pipelines.store.exports import PARTS

    out = tmp_path / "html"
    out.mkdir()
    assert write_corpus_pages(tables_of({}), out) == 0
    index = (out / "index.html").read_text()
    assert index.count("no data") == 4 and "No attributed sources." in index  # quotes-per-article bins show zeros
    parts = sorted((out / SEARCH_DIR).glob("part-*.js"))
    assert (out / "people" / "index.html").exists() and len(parts) == PARTS
    assert all(p.read_text().endswith('"items":[]});\n') for p in parts)


def test_the_last_column_label_fits_inside_the_chart():
    root = ET.fromstring(charts.columns("Years", [(str(y), 1) for y in range(2001, 2022)]))
    last = [t for t in root.iter("text") if t.text == "2021"][0]
    half_label = 4 * 0.6 * charts.FONT / 2  # four digits of about 0.6 em each, centred
    assert float(last.get("x")) + half_label <= charts.WIDTH


@pytest.mark.parametrize("entity_id", ["e1", None])
def test_a_person_page_lists_the_most_recent_articles_and_counts_the_rest(monkeypatch, entity_id):
    from pipelines.report.render import person_page

    monkeypatch.setattr(corpus, "PERSON_PAGE_ARTICLES", 2)
    dates = {"a1": "2019-05-01", "a2": None, "a3": "2021-01-09", "a4": "2020-03-02"}
    arts = [{"article_id": a, "title": f"T {a}", "source_path": f"{a}.txt", "text": "x", "n_words": 1, "published_on": d}
            for a, d in dates.items()]
    sources = [{"source_id": f"{a}:s1", "article_id": a, "entity_id": entity_id, "name": "Ana O'Neil",
                "source_type": "person", "role": None, "n_quotes": 0, "n_claims": 1} for a in dates]
    claims = [{"claim_id": f"{a}:c1-5", "article_id": a, "source_id": f"{a}:s1", "claim_type": "reported_speech",
               "text": f"said in {a}", "hedged": False, "is_display": False, "char_start": 1} for a in dates]
    con = tables_of({"articles": arts, "sources": sources, "claims": claims})
    (person,) = [p for rows in corpus.people_stream(con) for p in assemble(*rows)]
    assert person["n_articles"] == 4
    assert [a["article_id"] for a in person["articles"]] == ["a4", "a3"]  # the two latest, in date order
    assert [i["text"] for a in person["articles"] for i in a["said"]] == ["said in a4", "said in a3"]
    page = person_page(person)
    assert "in 4 articles" in page and "not the 2 earlier ones" in page
    every = con.execute(person["claims_query"]).fetchall()
    assert sorted(r[2] for r in every) == sorted(f"said in {a}" for a in dates)  # the page's query finds them all


def test_a_person_page_within_the_limit_has_no_note():
    from pipelines.report.render import person_page

    arts = [{"article_id": "a1", "title": "One", "source_path": "one.txt", "text": "x", "n_words": 1}]
    sources = [{"source_id": "a1:s1", "article_id": "a1", "entity_id": None, "name": "Ann", "source_type": "person",
                "role": None, "n_quotes": 0, "n_claims": 0}]
    con = tables_of({"articles": arts, "sources": sources})
    (person,) = [p for rows in corpus.people_stream(con) for p in assemble(*rows)]
    assert [a["article_id"] for a in person["articles"]] == ["a1"] and 'id="more"' not in person_page(person)
