"""Fixtures shared by the reliability tests: a small warehouse built from two articles."""

from __future__ import annotations

import shutil

import pytest

from pipelines.defs.run import materialise
from tests.conftest import SAMPLE_ARTICLE, SEED


@pytest.fixture
def built(tmp_path):
    """(seeds folder, catalog file) of a warehouse built in this process from the seed article and
    the harbour article."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE)
    warehouse = tmp_path / "wh" / "claims.sqlite"
    assert materialise(seeds, warehouse).success
    return seeds, warehouse
