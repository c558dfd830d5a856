"""The shipped seed article against its hand-checked people and years (issue 12: 19/19 persons, none false)."""

from pathlib import Path

from tests.text.helpers import Result

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_80bca2bc6d16808f.txt"
# Hand-checked: every person the article names, each once, titles split off.
PEOPLE = {"Abdul Ghani Baradar", "Aijaz Ahanger", "Ashfaq Parvez Kayani", "Baitullah Mehsud", "David Richards",
          "Faiz Hameed", "Gary Schroen", "George Tenet", "Habib-ur-Rehman", "Hakimullah Mehsud", "Moeed Yusuf",
          "Nek Muhammad Wazir", "Noor Wali Mehsud", "Pervez Musharraf", "Qamar Bajwa", "Richard Holbrook",
          "Sirajuddin Haqqani", "Syed Safdar Husain", "Zalmay Khalilzad"}
# Hand-checked: the years the article writes out (9/11 is 2001).
YEARS = {2001, 2003, 2004, 2005, 2006, 2007, 2010, 2014, 2016, 2017, 2020}


def test_seed_people_are_all_found_and_none_is_false():
    r = Result(SEED.read_text(encoding="utf-8"))
    people = {e["canonical_name"] for e in r.rows["entities"] if e["entity_type"] == "person"}
    assert people == PEOPLE


def test_seed_years_are_all_found():
    r = Result(SEED.read_text(encoding="utf-8"))
    years = {t["resolved_start"].year for t in r.rows["time_expressions"] if t["kind"] in ("year", "event")}
    assert years >= YEARS
