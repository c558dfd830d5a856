"""Run the extraction core on a small text and look rows up by their words."""

from __future__ import annotations

from pipelines.text.article import analyse
from pipelines.text.normalise import article_id, normalise


class Result:
    def __init__(self, raw: str, **kwargs):
        self.text = normalise(raw)
        self.facts, self.rows = analyse(article_id(self.text), self.text, **kwargs)
        self.sources = {s["source_id"]: s for s in self.rows["sources"]}

    def span(self, row: dict, start: str = "char_start", end: str = "char_end") -> str | None:
        if row[start] is None:
            return None
        return self.text[row[start]:row[end]]

    def attributed(self) -> list[dict]:
        return [c for c in self.rows["claims"] if c["source_id"] and not c["is_display"]]

    def claim_with(self, words: str) -> dict:
        hits = [c for c in self.rows["claims"] if words in c["text"]]
        assert hits, f"no claim contains {words!r}: {[c['text'] for c in self.rows['claims']]}"
        return hits[0]

    def speaker(self, claim: dict) -> str | None:
        return self.sources[claim["source_id"]]["name"] if claim["source_id"] else None

    def quote(self, words: str) -> dict:
        hits = [q for q in self.rows["quotes"] if words in q["text"]]
        assert hits, f"no quote contains {words!r}: {[q['text'] for q in self.rows['quotes']]}"
        return hits[0]
