"""Full-text search over claims and quotes with DuckDB's fts extension.

The extension comes from the `duckdb-extension-fts` package (nothing is downloaded at run time). The
index lives in its own small DuckDB file beside the warehouse (`search.duckdb`), built from the
warehouse's public tables on the first search after a build and reused until the next one. Readers of
the warehouse never see it; deleting it is always safe.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

INDEX_FILE = "search.duckdb"
DEFAULT_LIMIT = 20

# one row per claim a reader could check, plus scare quotes (the only quotes outside every claim)
DOCS_SQL = """
SELECT c.claim_id AS doc_id, c.article_id, c.char_start, 'claim' AS kind, c.claim_type AS type,
       coalesce(s.name, '(author)') AS speaker, s.entity_id, a.title, a.source_path, c.text
FROM claims c JOIN articles a USING (article_id) LEFT JOIN sources s USING (source_id)
WHERE NOT c.is_display
UNION ALL
SELECT q.quote_id, q.article_id, q.char_start, 'quote', q.quote_type || '_quote', coalesce(s.name, '(none)'),
       s.entity_id, a.title, a.source_path, q.text
FROM quotes q JOIN articles a USING (article_id) LEFT JOIN sources s USING (source_id)
WHERE q.claim_id IS NULL
"""


def extension_path() -> Path:
    """The fts extension file shipped by the `duckdb-extension-fts` package."""
    import duckdb_extension_fts

    found = sorted(Path(duckdb_extension_fts.__file__).parent.glob("extensions/*/fts.duckdb_extension"))
    if not found:
        raise RuntimeError("duckdb-extension-fts is installed but holds no fts.duckdb_extension file")
    return found[-1]


def load_fts(con) -> None:
    con.execute(f"LOAD '{extension_path()}'")


def _stamp(exports: Path) -> str:
    """What the index was built from: the publication time of the exports (changes with every build)."""
    try:
        return json.loads((exports / "manifest.json").read_text(encoding="utf-8"))["generated_at"]
    except (OSError, ValueError, KeyError):
        return ""


def index_path(warehouse: Path) -> Path:
    """Beside the warehouse, or in the temporary folder when the warehouse's folder is read-only."""
    if os.access(warehouse.parent, os.W_OK):
        return warehouse.parent / INDEX_FILE
    import hashlib
    import tempfile

    key = hashlib.sha256(str(warehouse.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"claims-search-{key}.duckdb"


def ensure_index(warehouse_con, warehouse: Path) -> Path:
    """The search index for `warehouse`, (re)built when it is missing or older than the last build."""
    import duckdb

    index = index_path(warehouse)
    stamp = _stamp(warehouse.parent / "exports")
    if index.exists() and stamp:
        con = duckdb.connect(str(index), read_only=True)
        try:
            if con.execute("SELECT stamp FROM built").fetchone()[0] == stamp:
                return index
        except duckdb.Error:
            pass  # an index from an older layout: rebuild it
        finally:
            con.close()
    tmp = index.with_name(f".{index.name}.{os.getpid()}.tmp")
    docs = index.with_name(f".{index.name}.{os.getpid()}.parquet")
    try:
        warehouse_con.execute(f"COPY ({DOCS_SQL}) TO '{docs}' (FORMAT parquet)")
        con = duckdb.connect(str(tmp))
        try:
            load_fts(con)
            con.execute(f"CREATE TABLE docs AS SELECT * FROM read_parquet('{docs}')")
            con.execute("PRAGMA create_fts_index('docs', 'doc_id', 'text', 'speaker', stemmer = 'porter', "
                        "stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)")
            con.execute("CREATE TABLE built AS SELECT ?::VARCHAR AS stamp", [stamp])
        finally:
            con.close()
        os.replace(tmp, index)  # a concurrent search keeps the file it opened
    finally:
        docs.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
    return index


def search(index: Path, words: str, limit: int = DEFAULT_LIMIT, kind: str | None = None) -> list[dict]:
    """Best matches first (BM25 over the text and the speaker's name)."""
    import duckdb

    con = duckdb.connect(str(index), read_only=True)
    try:
        load_fts(con)
        cur = con.execute(
            """SELECT * FROM (SELECT d.*, fts_main_docs.match_bm25(doc_id, ?) AS score FROM docs d)
               WHERE score IS NOT NULL AND (? IS NULL OR type = ?)
               ORDER BY score DESC, source_path, char_start LIMIT ?""", [words, kind, kind, limit])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
