"""Sections of the frame-words lexicon (see `lexicons/frame_words.txt`)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def section(name: str) -> frozenset[str]:
    text = resources.files("pipelines.text").joinpath("lexicons", "frame_words.txt").read_text(encoding="utf-8")
    current, out = None, set()
    for ln in text.splitlines():
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln.startswith("[") and ln.endswith("]"):
            current = ln[1:-1]
        elif current == name:
            out.add(ln.lower())
    return frozenset(out)
