"""Names whole, titles and appositions in `role`, role-only mentions linked to their person, one type per entity."""

import pytest

from pipelines.text.roles import clean_role, role_mentions
from tests.text.helpers import Result
from tests.text.test_entities import ents


def source_of(r: Result, words: str) -> dict:
    return r.sources[r.claim_with(words)["source_id"]]


@pytest.mark.parametrize("name", ["Institute for Fiscal Studies", "Department for Constitutional Affairs",
                                  "Bank of England", "Council on Foreign Relations", "Department of Health and Social Care"])
def test_organisation_names_with_lowercase_connectors_stay_whole(name):
    by_name, _ = ents(f"Officials at the {name} said on Friday that the figures were wrong.")
    assert by_name[name].entity_type == "organisation"
    assert not any(other != name and other in name for other in by_name)


def test_and_between_two_organisations_does_not_join_them():
    by_name, _ = ents("The Bank of England and Barclays both raised rates.")
    assert "Bank of England" in by_name and "Barclays" in by_name


@pytest.mark.parametrize(("written", "name", "role"), [
    ("Councillor Tom Reyes", "Tom Reyes", "Councillor"),
    ("Mayor Elena Marsh", "Elena Marsh", "Mayor"),
    ("Baroness Joan Kerr", "Joan Kerr", "Baroness"),
    ("Sir John Major", "John Major", "Sir"),
    ("Dame Judi Dench", "Judi Dench", "Dame"),
    ("Mr Paul Kessler", "Paul Kessler", "Mr"),
    ("Mrs Ann Webb", "Ann Webb", "Mrs"),
    ("Ms Rita Ora Bell", "Rita Ora Bell", "Ms"),
    ("Dr Priya Shah", "Priya Shah", "Dr"),
    ("Prof. Alan Sugden", "Alan Sugden", "Prof."),
    ("Rev. Martin Hale", "Martin Hale", "Rev."),
    ("Sgt. Amy Price", "Amy Price", "Sgt."),
    ("Lt. Col. James O'Neill", "James O'Neill", "Lt. Col."),
    ("Chief Constable Sara Thompson", "Sara Thompson", "Chief Constable"),
    ("Education Secretary Helen Carter", "Helen Carter", "Education Secretary"),
])
def test_titles_go_to_role_never_to_name(written, name, role):
    r = Result(f"The budget was a mistake, {written} said on Monday.")
    src = source_of(r, "budget")
    assert (src["name"], src["role"]) == (name, role)
    assert not any(e["canonical_name"] != name and e["canonical_name"] in written for e in r.rows["entities"])


@pytest.mark.parametrize(("sentence", "role"), [
    ("Maria Lopez, a nurse who lives nearby, said the noise was a worry.", "nurse"),
    ("Priya Shah, the party's chair, said the noise was a worry.", "party's chair"),
    ("The chair of the planning committee, Oliver Grant, said the noise was a worry.", "chair of the planning committee"),
    ("The Chamber of Commerce met. Its president, Ana Ruiz, said the noise was a worry.", "president"),
])
def test_appositions_on_either_side_fill_role_without_determiners(sentence, role):
    r = Result(sentence)
    src = source_of(r, "noise was a worry")
    assert src["role"] == role
    assert src["source_type"] == "person"


@pytest.mark.parametrize(("role", "clean"), [("Its president", "president"), ("a nurse who lives nearby", "nurse"),
                                             ("the party's chair", "party's chair"), ("his", None), ("", None)])
def test_clean_role(role, clean):
    assert clean_role(role) == clean


def test_role_only_mention_is_the_person_the_article_tied_it_to():
    r = Result("Helen Carter, the education secretary, visited the school in March. "
               "The education secretary said new classrooms would open next spring.")
    later = source_of(r, "new classrooms")
    assert later["name"] == "Helen Carter"
    assert later["role"] == "education secretary"
    mentions = [(m["surface"], m["mention_type"]) for m in r.rows["mentions"] if m["entity_id"] == later["entity_id"]]
    assert ("education secretary", "title") in mentions


def test_shared_role_head_stays_unlinked():
    _, mentions = ents("Priya Shah, the party's chair, spoke. Oliver Grant, the chair of the committee, agreed. "
                       "The chair said no more.")
    assert not any(surface == "chair" for surface, _, _ in mentions)


def test_one_type_per_entity_across_sources_entities_and_mentions():
    r = Result("The Chamber of Commerce welcomed the plan. \u201cThis is good news,\u201d the Chamber said.")
    types = {e["canonical_name"]: e["entity_type"] for e in r.rows["entities"]}
    assert types.get("Chamber of Commerce") == "organisation"
    assert "Chamber" not in types
    src = source_of(r, "good news")
    assert (src["name"], src["source_type"]) == ("Chamber of Commerce", "organisation")
    by_id = {e["entity_id"]: e for e in r.rows["entities"]}
    for s in r.rows["sources"]:
        if s["entity_id"]:
            assert by_id[s["entity_id"]]["entity_type"] in ("person", "organisation", "group", "location")


def test_names_with_initials_hyphens_particles_and_suffixes():
    by_name, _ = ents("Prof. J. R. Tolkien-Smith met Ludwig van Beethoven, Ayman al-Zawahiri, Osama bin Laden "
                      "and Martin Luther King Jr. in Leeds.")
    for name in ("J. R. Tolkien-Smith", "Ludwig van Beethoven", "Osama bin Laden", "Martin Luther King Jr."):
        assert by_name[name].entity_type == "person", name


def test_possessive_is_split_off_and_place_of_ends_a_peer_name():
    by_name, _ = ents("Britain's record was poor, Lord Patel of Bradford told the Lords.")
    assert by_name["Britain"].entity_type == "location"
    assert by_name["Patel"].entity_type == "person"
    assert "Patel of Bradford" not in by_name


@pytest.mark.parametrize(("text", "found"), [
    ("then the education secretary spoke", [(9, 28, 7)]),
    ("the education \n  secretary, later", [(4, 26, 7)]),  # any white space between the role's words
    ("the education secretary’s aide", []),  # the role must end a word
    ("the education secretaryship", []),
    ("the education-secretary", []),
    ("the chair and the chair of the board", [(4, 9, 3), (18, 36, 5)]),  # the longest role first
])
def test_role_mentions_read_the_words_after_the(text, found):
    assert role_mentions(text, {"chair": 3, "chair of the board": 5, "education secretary": 7}) == found
