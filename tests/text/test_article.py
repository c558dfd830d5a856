import gc
import subprocess
import sys
from pathlib import Path

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
    # in a fresh process: threads other tests leave running would make garbage of their own meanwhile
    script = (
        "import gc, sys\n"
        "from tests.text.test_article import _analyse\n"
        "_analyse(); gc.collect(); gc.disable()\n"
        "rows = _analyse(); unreachable = gc.collect()\n"
        "assert rows['claims'] and rows['quotes'] and rows['mentions'] and rows['time_expressions']\n"
        "print(unreachable)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "0"
