"""Extensions load from their wheels; DuckDB checks each file's signature once per process."""

from pipelines.store import extensions


def _unsigned_allowed(con) -> bool:
    return con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]


def test_a_file_checked_once_is_not_hashed_again_until_it_changes(monkeypatch):
    monkeypatch.setattr(extensions, "_VERIFIED", {})
    path = extensions.extension_path("ducklake")
    first = extensions.connect("ducklake")
    assert not _unsigned_allowed(first)  # the first load in a process is checked by DuckDB
    first.close()
    assert not extensions.checked_again(path)
    second = extensions.connect("ducklake")
    assert _unsigned_allowed(second)
    assert second.execute("SELECT count(*) FROM duckdb_extensions() WHERE extension_name = 'ducklake' AND loaded"
                          ).fetchone()[0] == 1
    second.close()
    size, mtime = extensions._VERIFIED[str(path)]
    extensions._VERIFIED[str(path)] = (size, mtime - 1)  # the file was replaced since: checked again
    assert extensions.checked_again(path)
    third = extensions.connect("ducklake")
    assert not _unsigned_allowed(third)
    third.close()


def test_a_connection_needing_an_extension_not_checked_yet_checks_every_file(monkeypatch):
    monkeypatch.setattr(extensions, "_VERIFIED", {})
    extensions.connect("ducklake").close()
    con = extensions.connect("ducklake", "sqlite_scanner")
    assert not _unsigned_allowed(con)
    con.close()
    assert not extensions.checked_again(extensions.extension_path("sqlite_scanner"))
