"""Claims, quotes, sources, entities, mentions and time expressions for one segmented article."""

from __future__ import annotations

import datetime as dt

from pipelines.text.segment import Layout


def extract(article_id: str, text: str, layout: Layout, published_on: dt.date | None) -> dict[str, list[dict]]:
    """Rows for the extraction tables (filled in by the extraction layers)."""
    return {}
