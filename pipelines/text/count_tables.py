"""Count tables learned by `make train` and shipped in `lexicons/` as tab-separated rows:
key fields, then two integer counts. One table per file; cross-validation can install another in its
place (`use`), and code that derives figures from a table caches them per `generation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from importlib import resources

Counts = Mapping[tuple[str, ...] | str, tuple[int, int]]


class CountTable:
    """The rows of `lexicons/<file_name>`: key (a tuple, or a string when there is one key field) -> counts."""

    def __init__(self, file_name: str, key_fields: int):
        self.file_name = file_name
        self.key_fields = key_fields
        self._override: Counts | None = None
        self.generation = 0  # changes whenever the table in use changes

    def parse(self, text: str) -> dict:
        out = {}
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                *key, a, b = line.split("\t")
                out[key[0] if self.key_fields == 1 else tuple(key)] = (int(a), int(b))
        return out

    @cached_property
    def _shipped(self) -> dict:
        path = resources.files("pipelines.text").joinpath("lexicons", self.file_name)
        return self.parse(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def counts(self) -> Counts:
        """The table in use: the shipped one, or one installed by `use`."""
        return self._override if self._override is not None else self._shipped

    def use(self, table: Counts | None) -> None:
        """Install `table` instead of the shipped one (None restores it); for cross-validation only."""
        self._override = table
        self.generation += 1
