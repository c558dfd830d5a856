"""A build looks at the seeds folder once: the walk that plans its partitions is the one its ingest uses."""

from __future__ import annotations

from pipelines.defs.run import materialise
from pipelines.ingest import incremental, read
from tests.conftest import SAMPLE_ARTICLE


def test_a_build_walks_the_seeds_folder_once_and_ingests_what_it_found(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE)
    walks = []
    real = read.seed_paths

    def counted(root, errors=None):
        walks.append(root)
        yield from real(root, errors)

    monkeypatch.setattr(incremental, "seed_paths", counted)
    result = materialise(seeds, tmp_path / "wh" / "claims.sqlite")
    assert result.success and len(walks) == 1
    assert not incremental._WALKED  # handed over once, never to a later build
    rows = [m.metadata["files"].value for m in result.asset_materializations_for_node("ingest")
            if "files" in m.metadata]
    assert rows == [1]
    (seeds / "market.txt").write_text(SAMPLE_ARTICLE.replace("harbour", "market"))
    walks.clear()
    result = materialise(seeds, tmp_path / "wh" / "claims.sqlite")
    assert result.success and len(walks) == 1
    rows = [m.metadata["files"].value for m in result.asset_materializations_for_node("ingest") if "files" in m.metadata]
    assert rows == [2]
