"""Shared fixtures: small hand-written articles and a temporary seeds folder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_80bca2bc6d16808f.txt"

SAMPLE_ARTICLE = """Council approves new harbour plan after long debate

The city council voted on Tuesday to approve a plan for the old harbour, ending a dispute that had run since 2019.

“This is a good day for the waterfront,” said Mayor Jane Okafor, who had backed the plan. “We listened, and we changed it.”

Opponents, though, were unconvinced. Tom Reilly, a local shop owner, argued the plan would push rents up.

“This is a good day for the waterfront”

According to council officials, work could begin next spring.
"""


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    d = tmp_path / "seeds"
    d.mkdir()
    (d / "harbour.txt").write_text(SAMPLE_ARTICLE, encoding="utf-8")
    return d
