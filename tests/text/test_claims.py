from pipelines.text.claims import assertion_type, hedges
from tests.text.helpers import Result


def test_hedges_found_in_order_once():
    assert hedges("The ISI is believed to have helped; it reportedly could and could again.") == [
        "is believed to", "reportedly", "could"]


def test_hedge_words_only_on_word_boundaries():
    assert hedges("Maybelline and Mayor Mayhew") == []


def test_assertion_types():
    assert assertion_type("Acting against them will invite blowback at home.") == "prediction"
    assert assertion_type("Failing to act could imperil the deal.") == "prediction"
    assert assertion_type("The speech was a disastrous mistake.") == "evaluation"
    assert assertion_type("The bridge opened in May.") == "assertion"


def test_every_body_sentence_gives_a_claim_and_display_is_flagged():
    raw = ("Bridge opens after delay\n\nThe bridge opened in May. It cost more than planned, officials said.\n\n"
           "The bridge opened in May\n\nCritics remain unconvinced by the cost figures.")
    r = Result(raw)
    body = [s for s in r.rows["sentences"] if not s["is_display"]]
    claim_sentences = {c["sentence_id"] for c in r.rows["claims"]}
    assert all(s["sentence_id"] in claim_sentences for s in body)
    display = [c for c in r.rows["claims"] if c["is_display"]]
    assert display and all(c["sentence_id"] in {s["sentence_id"] for s in r.rows["sentences"] if s["is_display"]}
                           for c in display)


def test_pull_quote_inherits_speaker_of_body_text():
    raw = ("Harbour plan approved\n\n“We listened to every resident and changed the plan,” said Mayor Jane Okafor. "
           "The council agreed.\n\n“We listened to every resident and changed the plan”\n\nThe vote was close.")
    r = Result(raw)
    display = [c for c in r.rows["claims"] if c["is_display"] and "listened" in c["text"]]
    assert display and r.speaker(display[0]) == "Jane Okafor"
    inferred = [q for q in r.rows["quotes"] if q["attribution"] == "inferred"]
    assert inferred and r.sources[inferred[0]["source_id"]]["name"] == "Jane Okafor"


def test_claim_ids_stable():
    raw = "“We are ready,” the mayor said. The bridge opened."
    assert [c["claim_id"] for c in Result(raw).rows["claims"]] == [c["claim_id"] for c in Result(raw).rows["claims"]]
