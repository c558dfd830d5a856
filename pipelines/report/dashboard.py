"""Figures for the corpus dashboard, computed from the published tables (polars frames in, plain
lists out): who is quoted most, claims by type and hedging, sources by type, quotes per article,
years mentioned. The charts themselves are drawn by `charts.py`."""

from __future__ import annotations

import polars as pl

TOP_SPEAKERS = 12
QUOTE_BINS = [(0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, None)]  # quotes per article
TIMELINE_YEARS = 40  # the most recent years shown on the timeline; earlier mentions are counted apart


def claims_by_type(claims: pl.DataFrame) -> list[tuple[str, int, int]]:
    """(claim_type, claims, hedged) for body claims, most frequent first."""
    df = (claims.filter(~pl.col("is_display")).group_by("claim_type")
          .agg(pl.len().alias("n"), pl.col("hedged").sum().alias("hedged")).sort(["n", "claim_type"], descending=[True, False]))
    return [(r["claim_type"], r["n"], r["hedged"]) for r in df.iter_rows(named=True)]


def sources_by_type(sources: pl.DataFrame) -> list[tuple[str, int]]:
    df = sources.group_by("source_type").len().sort(["len", "source_type"], descending=[True, False])
    return [(r["source_type"], r["len"]) for r in df.iter_rows(named=True)]


def _bin_label(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")


def quotes_per_article(articles: pl.DataFrame, quotes: pl.DataFrame) -> list[tuple[str, int]]:
    """How many articles have 0, 1, 2, 3–5, ... quotations."""
    per = articles.select("article_id").join(quotes.group_by("article_id").len(), on="article_id", how="left").fill_null(0)
    counts = per["len"].to_list()
    return [(_bin_label(lo, hi), sum(1 for c in counts if c >= lo and (hi is None or c <= hi))) for lo, hi in QUOTE_BINS]


def years_mentioned(times: pl.DataFrame) -> tuple[list[tuple[str, int]], int]:
    """Mentions per year, every year from the first to the last shown; and mentions of earlier years."""
    years = times.filter(pl.col("year").is_not_null()).group_by("year").len()
    if years.is_empty():
        return [], 0
    counts = dict(years.iter_rows())
    last = max(counts)
    first = max(min(counts), last - TIMELINE_YEARS + 1)
    earlier = sum(n for y, n in counts.items() if y < first)
    return [(str(y), counts.get(y, 0)) for y in range(first, last + 1)], earlier


def listing(articles: pl.DataFrame, claims: pl.DataFrame, quotes: pl.DataFrame, sources: pl.DataFrame) -> list[dict]:
    """Every article with its counts, for the sortable list."""
    counts = (claims.filter(~pl.col("is_display")).group_by("article_id").len("n_claims")
              .join(quotes.group_by("article_id").len("n_quotes"), on="article_id", how="full", coalesce=True)
              .join(sources.group_by("article_id").len("n_sources"), on="article_id", how="full", coalesce=True))
    return (articles.select("article_id", "title", "source_path", "published_on", "n_words")
            .join(counts, on="article_id", how="left")
            .with_columns(pl.col("n_claims", "n_quotes", "n_sources").fill_null(0))
            .sort("source_path").to_dicts())
