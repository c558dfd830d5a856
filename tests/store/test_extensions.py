"""Extensions load from their wheels; DuckDB checks each file's signature once, until it changes."""

import json

import pytest

from pipelines.store import extensions


@pytest.fixture(autouse=True)
def fresh_record(tmp_path, monkeypatch):
    """No file checked yet, in this process or in the record other processes leave."""
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(extensions, "_VERIFIED", {})


def _unsigned_allowed(con) -> bool:
    return con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]


def test_a_file_checked_once_is_not_hashed_again_until_it_changes():
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
    size, mtime, *rest = extensions._VERIFIED[str(path)]
    extensions._VERIFIED[str(path)] = (size, mtime - 1, *rest)  # the file was replaced since: checked again
    extensions._record().write_text(json.dumps({str(path): [size, mtime - 1, *rest]}))
    assert extensions.checked_again(path)
    third = extensions.connect("ducklake")
    assert not _unsigned_allowed(third)
    third.close()


def test_a_connection_needing_an_extension_not_checked_yet_checks_every_file():
    extensions.connect("ducklake").close()
    con = extensions.connect("ducklake", "sqlite_scanner")
    assert not _unsigned_allowed(con)
    con.close()
    assert not extensions.checked_again(extensions.extension_path("sqlite_scanner"))


def test_a_later_process_finds_the_file_checked_until_it_changes(monkeypatch):
    path = extensions.extension_path("ducklake")
    extensions.connect("ducklake").close()  # checked, and recorded for later processes
    monkeypatch.setattr(extensions, "_VERIFIED", {})  # a new process
    con = extensions.connect("ducklake")
    assert _unsigned_allowed(con)
    con.close()
    size, mtime, ctime, ino = json.loads(extensions._record().read_text())[str(path)]
    # written since (its change time moved), even with size and modification time put back: checked again
    extensions._record().write_text(json.dumps({str(path): [size, mtime, ctime - 1, ino]}))
    monkeypatch.setattr(extensions, "_VERIFIED", {})
    assert extensions.checked_again(path)
    con = extensions.connect("ducklake")
    assert not _unsigned_allowed(con)
    con.close()
    extensions._record().write_text("not json")  # an unreadable record: the files are checked
    monkeypatch.setattr(extensions, "_VERIFIED", {})
    con = extensions.connect("ducklake")
    assert not _unsigned_allowed(con)
    con.close()
