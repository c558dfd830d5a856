"""What the corpus pages show, asked of the lake in SQL: DuckDB groups and counts over every row,
and only the rows a page shows come back into Python (a chart's bars, the article list, one person
at a time, the search items a chunk at a time). Nothing here holds a table.

The connection is a publication's `publish.reader` (a view per table over the Parquet parts the
commit's transaction wrote), so the pages show exactly what the commit makes current; the same SQL
runs on the lake itself. `PERSON_KEY` is `people.person_key` in SQL:
the entity id when the source resolved to one, else a slug and hash of its normalised name.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipelines.report.dashboard import TOP_SPEAKERS
from pipelines.store.sqllist import IN_LIST, joined

# Python's str.split() separators that are not ASCII: names keep them from the article's text
_SPACES = r"[\s\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
_NORM = f"trim(regexp_replace(lower(name), '{_SPACES}', ' ', 'g'))"
PERSON_KEY = (f"CASE WHEN coalesce(entity_id, '') <> '' THEN entity_id ELSE 'n-' || coalesce(nullif(left(trim("
              f"regexp_replace({_NORM}, '[^a-z0-9]+', '-', 'g'), '-'), 40), ''), 'source') || '-' || "
              f"left(sha256({_NORM}), 6) END")
KEYED = f"keyed AS (SELECT *, {PERSON_KEY} AS key FROM sources)"
KEY_TABLE = "person_keys"  # every source with its key, made once per connection by `keep_person_keys`
KEYED_FROM_TABLE = f"keyed AS (SELECT * FROM {KEY_TABLE})"
FETCH = 5000  # rows fetched at a time when streaming
# articles a person page lists, the most recent: the rest are counted on the page. Measured on the
# benchmark's 10,000 articles, the most quoted person's page listed 3,181 articles (6.1 MB of HTML,
# 0.2 s of the one-article build to render it and as much to read it); 100 articles is ~0.2 MB
PERSON_PAGE_ARTICLES = 100


def keep_person_keys(con) -> None:
    """Work out every source's person key once, into a table of `con`'s database (a publication's
    `publish.reader`) holding the sources with their keys: the queries here then read it instead of
    running `PERSON_KEY`'s regular expressions over every source again, about ten times per build
    (0.04-0.09 s each over 86,000 sources at load 3-4), or joining the sources' Parquet parts to a
    table of keys (the four queries of a person's page: 0.18 -> 0.13 s for one new article's people)."""
    con.execute(f"CREATE OR REPLACE TABLE {KEY_TABLE} AS SELECT *, {PERSON_KEY} AS key FROM sources")


def _keyed(con, sql: str) -> str:
    """`sql` reading the person keys from `keep_person_keys`' table when `con` has it."""
    if KEYED not in sql:
        return sql
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()",
                        [KEY_TABLE]).fetchone()[0]
    return sql.replace(KEYED, KEYED_FROM_TABLE) if found else sql


def execute(con, sql: str, params: list | None = None):
    return con.execute(_keyed(con, sql), params or [])


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = execute(con, sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def stream(con, sql: str, params: list | None = None) -> Iterator[tuple]:
    cur = execute(con, sql, params)
    while batch := cur.fetchmany(FETCH):
        yield from batch


# --- the dashboard ------------------------------------------------------------------------------

def totals(con) -> dict:
    claims, hedged = con.execute("SELECT count(*), count(*) FILTER (WHERE hedged) FROM claims WHERE NOT is_display").fetchone()
    return {"articles": con.execute("SELECT count(*) FROM articles").fetchone()[0], "claims": claims,
            "quotes": con.execute("SELECT count(*) FROM quotes").fetchone()[0], "hedged": hedged,
            "people": execute(con, f"WITH {KEYED} SELECT count(DISTINCT key) FROM keyed").fetchone()[0]}


def claims_by_type(con) -> list[tuple[str, int, int]]:
    """(claim_type, claims, hedged) for body claims, most frequent first."""
    return con.execute("SELECT claim_type, count(*) AS n, count(*) FILTER (WHERE hedged) FROM claims WHERE NOT is_display "
                       "GROUP BY claim_type ORDER BY n DESC, claim_type").fetchall()


def sources_by_type(con) -> list[tuple[str, int]]:
    return con.execute("SELECT source_type, count(*) AS n FROM sources GROUP BY 1 ORDER BY n DESC, source_type").fetchall()


def quote_counts(con) -> list[tuple[int, int]]:
    """(quotes in an article, articles with that many), every article counted."""
    return con.execute("SELECT n, count(*) FROM (SELECT count(q.quote_id) AS n FROM articles a "
                       "LEFT JOIN quotes q USING (article_id) GROUP BY a.article_id) GROUP BY n ORDER BY n").fetchall()


def year_counts(con) -> dict[int, int]:
    return dict(con.execute("SELECT year, count(*) FROM time_expressions WHERE year IS NOT NULL GROUP BY year").fetchall())


def listing(con, ids: list[str]) -> list[dict]:
    """The articles `ids` (one part) with their counts, for the sortable article list."""
    picked = f"article_id IN {IN_LIST}"
    return rows(con, f"""
        SELECT a.article_id, a.title, a.source_path, a.published_on, a.n_words,
               coalesce(c.n, 0) AS n_claims, coalesce(q.n, 0) AS n_quotes, coalesce(s.n, 0) AS n_sources
        FROM (SELECT * FROM articles WHERE {picked}) a
        LEFT JOIN (SELECT article_id, count(*) AS n FROM claims WHERE NOT is_display AND {picked} GROUP BY 1) c USING (article_id)
        LEFT JOIN (SELECT article_id, count(*) AS n FROM quotes WHERE {picked} GROUP BY 1) q USING (article_id)
        LEFT JOIN (SELECT article_id, count(*) AS n FROM sources WHERE {picked} GROUP BY 1) s USING (article_id)
        ORDER BY a.source_path, a.article_id""", [joined(ids)] * 4)


# --- people -------------------------------------------------------------------------------------

PEOPLE = f"""
    WITH {KEYED},
    names AS (SELECT key, name, count(*) AS n FROM keyed GROUP BY key, name),
    shown AS (SELECT key, arg_max(name, (n, length(name), name)) AS name FROM names GROUP BY key)
    SELECT k.key, shown.name, list(DISTINCT k.source_type ORDER BY k.source_type) AS types,
           coalesce(list(DISTINCT k.role ORDER BY k.role) FILTER (WHERE k.role IS NOT NULL), []) AS roles,
           sum(k.n_quotes)::BIGINT AS n_quotes, sum(k.n_claims)::BIGINT AS n_claims,
           count(DISTINCT k.article_id) AS n_articles
    FROM keyed k JOIN shown USING (key)
    WHERE @where
    GROUP BY k.key, shown.name
    @having
    ORDER BY @order"""
MOST_QUOTED = "n_quotes DESC, n_claims DESC, shown.name, k.key"


def _people_sql(where: str = "true", having: str = "", order: str = MOST_QUOTED) -> str:
    return PEOPLE.replace("@where", where).replace("@having", having).replace("@order", order)


def people_summary(con, limit: int | None = None) -> list[dict]:
    """One row per person (key, name, types, roles, counts), most quoted first."""
    return rows(con, _people_sql() + (f" LIMIT {int(limit)}" if limit else ""))


def top_quoted(everyone: list[dict]) -> list[dict]:
    """The TOP_SPEAKERS people quoted most (at least once), from `people_summary` (most quoted
    first, so they are its head): the dashboard asks the lake once for both lists."""
    return [p for p in everyone[:TOP_SPEAKERS] if (p["n_quotes"] or 0) > 0]


def person_keys(con) -> list[str]:
    return [r[0] for r in execute(con, f"WITH {KEYED} SELECT DISTINCT key FROM keyed ORDER BY key").fetchall()]


def keys_of_articles(con, article_ids: list[str]) -> set[str]:
    """People with a source in these articles."""
    if not article_ids:
        return set()
    return {r[0] for r in con.execute(f"WITH {KEYED} SELECT DISTINCT key FROM keyed WHERE article_id IN "
                                      f"{IN_LIST}", [joined(article_ids)]).fetchall()}


def linking_keys(con, keys: list[str]) -> set[str]:
    """People whose claims mention one of the entities `keys` (their pages link it when it is a person)."""
    if not keys:
        return set()
    return {r[0] for r in execute(con, f"""
        WITH {KEYED}
        SELECT DISTINCT k.key FROM claim_entities ce JOIN claims c USING (claim_id) JOIN keyed k ON k.source_id = c.source_id
        WHERE ce.role = 'mentioned' AND ce.entity_id IN {IN_LIST}""", [joined(keys)]).fetchall()}


def _listed(picked: str) -> str:
    """CTE `listed` (key, article_id): the PERSON_PAGE_ARTICLES most recent articles of each person
    `picked` selects, latest date first (undated last), then path and id, as the page orders them."""
    return f"""listed AS (
        SELECT key, article_id FROM (
            SELECT DISTINCT k.key, a.article_id, coalesce(CAST(a.published_on AS VARCHAR), '') AS dated, a.source_path
            FROM keyed k JOIN articles a USING (article_id) WHERE {picked})
        QUALIFY row_number() OVER (PARTITION BY key ORDER BY dated DESC, source_path DESC, article_id DESC)
                <= {PERSON_PAGE_ARTICLES})"""


def _person_queries(picked: str) -> list[str]:
    """SQL of (people, their articles, what they said, whom they talk about) for the people `picked`
    selects, each sorted by person key first."""
    listed, mine = _listed(picked), f"mine AS (SELECT k.source_id, k.key FROM keyed k WHERE {picked})"
    # `mine`: the picked people's sources, so each table is joined to a few ids, never to every source
    return [_people_sql(picked, order="k.key"), f"""
        WITH {KEYED}, {listed}
        SELECT l.key, a.article_id, a.title, a.source_path, a.published_on
        FROM listed l JOIN articles a USING (article_id)
        ORDER BY l.key, a.article_id""", f"""
        WITH {KEYED}, {mine}, {listed}
        SELECT m.key, c.article_id, c.claim_id AS item_id, c.claim_type AS type, c.text, c.hedged, c.is_display AS display,
               c.char_start AS at
        FROM claims c JOIN mine m USING (source_id)
        SEMI JOIN listed l ON l.key = m.key AND l.article_id = c.article_id
        UNION ALL
        SELECT m.key, q.article_id, q.quote_id, q.quote_type || ' quote', q.text, false, false, q.char_start
        FROM quotes q JOIN mine m USING (source_id)
        SEMI JOIN listed l ON l.key = m.key AND l.article_id = q.article_id
        -- a quote inside an attributed claim is shown with the claim (every claim's source is a
        -- row of sources: the integrity check refuses a commit where it is not)
        WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.claim_id = q.claim_id AND c.source_id IS NOT NULL)
        ORDER BY 1, 8, 3""", f"""
        WITH {KEYED}, {mine},
        said AS (SELECT m.key, c.claim_id FROM claims c JOIN mine m USING (source_id))
        SELECT s.key, ce.entity_id, e.canonical_name AS name, e.entity_type AS type, count(*) AS n,
               ce.entity_id IN (SELECT key FROM keyed) AS is_person, min(s.claim_id) AS first
        FROM claim_entities ce JOIN said s USING (claim_id)
        JOIN entities e ON e.entity_id = ce.entity_id
        WHERE ce.role = 'mentioned' AND ce.entity_id <> s.key
        GROUP BY s.key, ce.entity_id, e.canonical_name, e.entity_type
        ORDER BY s.key, n DESC, first, ce.entity_id"""]


def people_in(con, keys: list[str]) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Everything the pages of the people `keys` show: (people, their articles, what they said,
    whom they talk about)."""
    picked = f"k.key IN {IN_LIST}"
    people, articles, said, talks = (rows(con, sql, [joined(keys)] * sql.count("?")) for sql in _person_queries(picked))
    return people, articles, said, talks


def _groups(cur) -> Iterator[tuple[str, list[dict]]]:
    """(key, rows) of a result sorted by key, fetched FETCH rows at a time."""
    names = [d[0] for d in cur.description]
    key, group = None, []
    while batch := cur.fetchmany(FETCH):
        for r in batch:
            row = dict(zip(names, r, strict=True))
            if row["key"] != key and group:
                yield key, group
                group = []
            key = row["key"]
            group.append(row)
    if group:
        yield key, group


def people_stream(con, keys: list[str] | None = None) -> Iterator[tuple[list[dict], list[dict], list[dict], list[dict]]]:
    """What `people_in` gives, one person at a time, for the people `keys` (None: everyone): four
    results sorted by key are read side by side, so memory holds one person's rows, not a group's."""
    picked = "true" if keys is None else f"k.key IN {IN_LIST}"
    streams = []
    for sql in _person_queries(picked):
        cur = con.cursor()
        cur.execute(_keyed(con, sql), [] if keys is None else [joined(keys)] * sql.count("?"))
        streams.append(_groups(cur))
    heads = [next(s, None) for s in streams[1:]]
    for key, person in streams[0]:
        found = []
        for i, stream in enumerate(streams[1:]):
            while heads[i] is not None and heads[i][0] < key:
                heads[i] = next(stream, None)
            if heads[i] is not None and heads[i][0] == key:
                found.append(heads[i][1])
                heads[i] = next(stream, None)
            else:
                found.append([])
        yield (person, *found)


# --- the search index ---------------------------------------------------------------------------

def search_articles(con, ids: list[str]) -> list[tuple]:
    """(article_id, title or path) of the articles `ids` (one part), in id order."""
    return con.execute("SELECT article_id, coalesce(title, source_path) FROM articles WHERE article_id IN "
                       f"{IN_LIST} ORDER BY article_id", [joined(ids)]).fetchall()


def search_items(con, ids: list[str]) -> Iterator[str]:
    """Every body claim and every quote outside all claims of the articles `ids` (sorted), in article
    order then position, each as the JSON array `[text, speaker, type, article number in ids,
    anchor, person key]`, encoded by DuckDB (as `json.dumps(..., ensure_ascii=False)` writes it:
    Python encoding them was most of the time a changed article's search part took)."""
    for (item,) in stream(con, f"""
        WITH {KEYED},
        numbered AS (SELECT article_id, row_number() OVER (ORDER BY article_id) - 1 AS no FROM articles
                     WHERE article_id IN {IN_LIST}),
        items AS (
            SELECT text, source_id, claim_type AS type, article_id, claim_id AS item_id, char_start
            FROM claims WHERE NOT is_display
            UNION ALL
            SELECT text, source_id, 'scare_quote', article_id, quote_id, char_start FROM quotes WHERE claim_id IS NULL)
        SELECT json_array(i.text, coalesce(k.name, '(author)'), i.type, n.no,
                          regexp_replace(i.item_id, '^[^:]*:', ''), coalesce(k.key, ''))::VARCHAR
        FROM items i JOIN numbered n USING (article_id) LEFT JOIN keyed k ON k.source_id = i.source_id
        ORDER BY n.no, i.char_start, i.item_id""", [joined(ids)]):
        yield item
