"""Figures for the corpus dashboard from what `corpus.py` counted in SQL (plain lists in, plain lists
out): quotes per article in bins, years mentioned on a timeline. The charts themselves are drawn by
`charts.py`."""

from __future__ import annotations

TOP_SPEAKERS = 12
QUOTE_BINS = [(0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, None)]  # quotes per article
TIMELINE_YEARS = 40  # the most recent years shown on the timeline; earlier mentions are counted apart


def _bin_label(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")


def quotes_per_article(counts: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """How many articles have 0, 1, 2, 3–5, ... quotations, from (quotes, articles with that many)."""
    return [(_bin_label(lo, hi), sum(n for q, n in counts if q >= lo and (hi is None or q <= hi))) for lo, hi in QUOTE_BINS]


def years_mentioned(counts: dict[int, int]) -> tuple[list[tuple[str, int]], int]:
    """Mentions per year, every year from the first to the last shown; and mentions of earlier years."""
    if not counts:
        return [], 0
    last = max(counts)
    first = max(min(counts), last - TIMELINE_YEARS + 1)
    earlier = sum(n for y, n in counts.items() if y < first)
    return [(str(y), counts.get(y, 0)) for y in range(first, last + 1)], earlier
