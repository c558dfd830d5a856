"""Loading of lexicons: word lists kept as data files in `lexicons/`, one entry per line.

A lexicon file starts with `#` comment lines giving its provenance; blank lines are ignored.
Entries are lower-cased unless the file is loaded with `case_sensitive=True`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("pipelines.text").joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def words(name: str, case_sensitive: bool = False) -> frozenset[str]:
    """The entries of lexicon `name` as a set."""
    return frozenset(ln if case_sensitive else ln.lower() for ln in _lines(name))


@cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A lexicon of `key<TAB or spaces>value value ...` lines, as key -> values."""
    out: dict[str, tuple[str, ...]] = {}
    for ln in _lines(name):
        key, _, rest = ln.partition("\t") if "\t" in ln else ln.partition(" ")
        out[key.strip().lower()] = tuple(v.strip() for v in rest.replace("\t", " ").split() if v.strip())
    return out
