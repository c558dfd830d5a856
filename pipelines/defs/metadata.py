"""Metadata attached to materialisations and checks: row counts and small previews."""

from __future__ import annotations

import dagster as dg
import polars as pl


def markdown_table(df: pl.DataFrame, max_rows: int = 10, max_chars: int = 60) -> str:
    """A Markdown table of the first rows of `df`, long cells shortened."""
    head = df.head(max_rows)
    cols = [c for c in head.columns if c != "text" or head.width <= 4]

    def cell(v: object) -> str:
        s = "" if v is None else str(v)
        s = s.replace("|", "\\|").replace("\n", " ")
        return s if len(s) <= max_chars else s[: max_chars - 1] + "…"

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in head.select(cols).iter_rows():
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def frame_metadata(df: pl.DataFrame) -> dict:
    return {"dagster/row_count": df.height, "preview": dg.MetadataValue.md(markdown_table(df))}
