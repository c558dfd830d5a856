"""Export parts written from the previous publication's file and the changed articles' rows are the
files a read of the whole part from the lake gives, byte for byte."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from pipelines.defs.run import materialise
from pipelines.schemas import ARTICLE_KEY, SCHEMAS
from pipelines.settings import paths
from pipelines.store import exports, lake, publication
from tests.conftest import SAMPLE_ARTICLE, SEED

STORY = "Bridge closes\n\n“The bridge will shut on {day},” said Imelda Varga, the council’s works director.\n"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("delta_max", [publication.SMALL_COMMIT, 1])  # 1: more articles changed than the delta takes
def test_parts_of_an_edited_a_removed_and_a_new_article_are_what_the_lake_gives(tmp_path, monkeypatch, delta_max):
    monkeypatch.setattr(publication, "SMALL_COMMIT", delta_max)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE)
    for n, day in enumerate(("Monday", "Tuesday", "Wednesday")):
        (seeds / f"bridge{n}.txt").write_text(STORY.format(day=day))
    warehouse = tmp_path / "wh" / "claims.sqlite"
    assert materialise(seeds, warehouse).success
    first = publication.current(paths(seeds, warehouse))
    before = {e["table"]: {q["part"]: q["sha256"] for q in e["parts"]} for e in first.manifest["tables"]}
    (seeds / "bridge0.txt").write_text(STORY.format(day="Friday"))  # edited: a new id, the old one gone
    (seeds / "bridge1.txt").unlink()
    (seeds / "bridge3.txt").write_text(STORY.format(day="Sunday"))
    assert materialise(seeds, warehouse).success
    p = paths(seeds, warehouse)
    second = publication.current(p)
    con = lake.connect(p, read_only=True)
    try:
        written = 0
        for table in SCHEMAS:
            for k in range(exports.PARTS):
                name = exports.part_file(table, k)
                if _sha(second.folder / name) == before[table][k]:
                    continue  # the previous file, unchanged
                written += ARTICLE_KEY[table] is not None
                whole = tmp_path / "whole" / name
                exports._write_part(con, table, k, whole, exports._from_lake(table, k), [])  # the part read whole from the lake
                assert _sha(second.folder / name) == _sha(whole), name
    finally:
        con.close()
    assert written >= 3  # the parts of the changed articles were written again
