"""Full-text search: the fts extension loads offline, the index follows every new build."""

from __future__ import annotations

import duckdb

from pipelines import search
from pipelines.__main__ import _connect
from pipelines.defs.run import materialise

FERRY = ("Ferry service cut\n\nThe ferry to the island will run twice a week from May, the operator said.\n\n"
         "“Islanders will be stranded,” warned Moira Hughes, who chairs the community trust.\n")
BRIDGE = ("Bridge study begins\n\nEngineers began a study of a fixed link to the island on Friday.\n\n"
          "“A bridge would end our isolation,” said Callum Reid, the local MP.\n")


def _build(seeds, wh) -> None:
    result = materialise(seeds, wh)
    assert result.success


def _hits(wh, words, **kw) -> list[dict]:
    con = _connect(str(wh), locked=False)  # the CLI's own way in, whatever the storage
    try:
        index = search.ensure_index(con, wh)
    finally:
        con.close()
    return search.search(index, words, **kw)


def test_extension_loads_from_the_package():
    con = duckdb.connect()
    search.load_fts(con)
    assert con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'").fetchone() == (True,)


def test_index_follows_new_builds(tmp_path):
    seeds, wh = tmp_path / "seeds", tmp_path / "wh" / "claims.sqlite"
    seeds.mkdir()
    (seeds / "ferry.txt").write_text(FERRY, encoding="utf-8")
    _build(seeds, wh)
    hits = _hits(wh, "stranded")
    assert [(h["speaker"], h["type"], h["source_path"]) for h in hits] == [("Moira Hughes", "direct_quote", "ferry.txt")]
    assert _hits(wh, "bridge") == []
    (seeds / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    _build(seeds, wh)
    found = _hits(wh, "isolation")
    assert [h["speaker"] for h in found] == ["Callum Reid"]
    assert "end our isolation" in found[0]["text"]
    # speakers' names are searchable too, and the best match comes first
    assert _hits(wh, "Hughes island")[0]["speaker"] == "Moira Hughes"
