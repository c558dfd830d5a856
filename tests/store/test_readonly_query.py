"""`python -m pipelines query` is read-only for files too: every way of writing is refused, reading works."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from pipelines.__main__ import main
from pipelines.settings import paths
from pipelines.store import lake, readonly
from pipelines.store.httpfs import extension_path


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "wh" / "claims.sqlite"
    con = lake.connect(paths(None, path), read_only=False)  # an empty lake with one article
    con.execute("INSERT INTO articles (article_id, source_path, title, text, n_paragraphs, n_sentences, n_words, "
                "ingested_at) VALUES ('a1', 'a.txt', 'Harbour plan', 'Harbour plan', 1, 1, 2, now())")
    con.close()
    exports = path.parent / "exports"
    exports.mkdir()
    (exports / "manifest.json").write_text('{"tables": []}')
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("CREATE TABLE t AS SELECT 'secret' AS s")
    other.close()
    return path


def files(root):
    """Every file and its hash, but the SQLite catalog's own -wal/-shm sidecars, which any reader of a
    WAL-mode database opens (the query cannot choose what goes in them)."""
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def query(warehouse, sql, *extra):
    return main(["--warehouse", str(warehouse), "query", sql, *extra])


WRITES = {
    "copy over the warehouse": "COPY (SELECT 1) TO '{wh}' (FORMAT csv)",
    "copy into the exports": "COPY articles TO '{exports}/manifest.json' (FORMAT json)",
    "copy anywhere": "COPY articles TO '{tmp}/stolen.parquet' (FORMAT parquet)",
    "export database": "EXPORT DATABASE '{exports}'",
    "attach another database": "ATTACH '{tmp}/other.duckdb' AS other; SELECT * FROM other.t",
    "install an extension from a file": "INSTALL '{ext}'",
    "load an extension from a file": "LOAD '{ext}'",
    "reset the lock": "RESET lock_configuration",
    "profiling output file": "PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '{tmp}/p.json'; SELECT 1",
    "create a temp table": "CREATE TEMP TABLE x AS SELECT 1",
    "checkpoint": "CHECKPOINT",
    "explain analyze of a copy": "EXPLAIN ANALYZE COPY (SELECT 1) TO '{tmp}/x.csv'",
    "a write after a read": "SELECT 1; COPY (SELECT 1) TO '{tmp}/late.csv'",
}


@pytest.mark.parametrize("way", sorted(WRITES))
def test_every_way_of_writing_is_refused(warehouse, way, capsys):
    tmp = warehouse.parent.parent
    before = files(tmp)
    sql = WRITES[way].format(wh=warehouse, exports=warehouse.parent / "exports", tmp=tmp, ext=extension_path())
    assert query(warehouse, sql) == 1
    assert "error:" in capsys.readouterr().err
    assert files(tmp) == before  # nothing written, replaced or created anywhere


READS = {
    "select": "SELECT title FROM articles",
    "show tables": "SHOW TABLES",
    "describe": "DESCRIBE articles",
    "summarize": "SUMMARIZE articles",
    "explain": "EXPLAIN SELECT * FROM articles",
    "pragma query": "PRAGMA table_info('articles')",
    "from first": "FROM articles",
}


@pytest.mark.parametrize("way", sorted(READS))
def test_reading_keeps_working(warehouse, way, capsys):
    assert query(warehouse, READS[way]) == 0
    assert capsys.readouterr().out


def test_csv_output_still_works(warehouse, capsys):
    assert query(warehouse, "SELECT title FROM articles", "--format", "csv") == 0
    assert "Harbour plan" in capsys.readouterr().out


def test_reading_other_files_is_refused(warehouse, tmp_path, capsys):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    assert query(warehouse, f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')") == 1
    assert "error:" in capsys.readouterr().err


def test_lock_allows_reading_only_the_named_folders(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    (tmp_path / "other.csv").write_text("a\n2\n")
    con = readonly.lock(duckdb.connect(), readable=[tmp_path / "data"])
    assert con.sql(f"SELECT a FROM read_csv('{tmp_path / 'data' / 't.csv'}')").fetchall() == [(1,)]
    with pytest.raises(duckdb.PermissionException):
        con.sql(f"SELECT a FROM read_csv('{tmp_path / 'other.csv'}')")
    with pytest.raises(duckdb.Error):
        con.execute("SET allowed_directories = ['/']")


LOCK_ALONE = ("COPY (SELECT 1) TO '{tmp}/x.csv'", "EXPORT DATABASE '{tmp}/dump'", "ATTACH '{tmp}/new.duckdb'",
              "INSTALL httpfs", "LOAD '{tmp}/evil.duckdb_extension'", "SET enable_external_access = true")


@pytest.mark.parametrize("sql", LOCK_ALONE)
def test_the_connection_lock_holds_without_the_statement_check(warehouse, sql):
    tmp = warehouse.parent.parent
    before = files(tmp)
    p = paths(None, warehouse)
    con = readonly.lock(lake.connect(p), readable=lake.readable_paths(p))
    with pytest.raises(duckdb.Error):
        con.execute(sql.format(tmp=tmp))
    assert files(tmp) == before
