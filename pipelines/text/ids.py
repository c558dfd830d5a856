"""Row identifiers shared by the extraction layers."""

from __future__ import annotations


def sentence_id(article_id: str, sentence_no: int) -> str:
    """`{article_id}:{sentence_no}`, as the contract says."""
    return f"{article_id}:{sentence_no}"
