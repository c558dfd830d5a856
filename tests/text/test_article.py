import gc

from pipelines.text.article import analyse
from pipelines.text.normalise import article_id, normalise

TEXT = normalise(
    "Council backs harbour plan\n\n"
    "The council approved the harbour plan on Monday, three years after it was first proposed. "
    "“We listened to every resident,” said Mayor Jane Okafor. She said work would start next spring.\n\n"
    "Critics, including the Harbour Users Association (HUA), said the cost was too high. "
    "The HUA’s chair, Tom Reilly, called it “a gamble”."
)


def _analyse() -> dict:
    return analyse(article_id(TEXT), TEXT)[1]


def test_the_collector_is_on_again_after_an_article_and_stays_off_if_it_was_off():
    assert gc.isenabled()
    _analyse()
    assert gc.isenabled()
    gc.disable()
    try:
        _analyse()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_article_leaves_no_reference_cycle_for_the_paused_collector():
    _analyse()  # lexicons and caches loaded beforehand
    gc.collect()
    gc.disable()
    try:
        rows = _analyse()
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert rows["claims"] and rows["quotes"] and rows["mentions"] and rows["time_expressions"]
    assert unreachable == 0
