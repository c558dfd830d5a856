"""Logistic-regression weights learned by `make train` and shipped in `lexicons/` as tab-separated rows.

A model is a bias and a weight per feature name; its probability for a set of features is the logistic
of their summed weights (features without a weight add nothing). The shipped file is read once;
cross-validation and tests can install another model in its place (`Shipped.use`), and callers that
cache figures derived from a model key them on `Shipped.generation`. Used by the cue model
(`cue_model.py`) and the claims' confidence (`confidence.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Generic, TypeVar


@dataclass(frozen=True)
class LinearModel:
    """Weights of a logistic regression over named binary features."""

    bias: float = 0.0
    weights: dict[str, float] = field(default_factory=dict)

    def probability(self, feats: Iterable[str]) -> float:
        get = self.weights.get
        z = self.bias
        for f in feats:  # a plain loop: the hottest lines of the cue model
            z += get(f, 0.0)
        return 1.0 / (1.0 + math.exp(-z))

    def dump_weights(self) -> list[str]:
        """The `bias` row and the `weight` rows, sorted."""
        return [f"bias\t\t{self.bias:.4f}"] + [f"weight\t{k}\t{v:.4f}" for k, v in sorted(self.weights.items())]


def parse_rows(text: str) -> tuple[float, dict[str, float], list[tuple[str, str, str]]]:
    """The `bias` and `weight` rows of a weights file, and its other rows as (kind, key, value) for the
    model that adds them (comments and blank lines left out)."""
    bias, weights, other = 0.0, {}, []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, key, value = line.split("\t")
            if kind == "bias":
                bias = float(value)
            elif kind == "weight":
                weights[key] = float(value)
            else:
                other.append((kind, key, value))
    return bias, weights, other


M = TypeVar("M")


class Shipped(Generic[M]):
    """The model in use: the shipped file parsed by `parse`, or one installed by `use`."""

    def __init__(self, file_name: str, parse: Callable[[str], M], empty: Callable[[], M]) -> None:
        self.file_name = file_name
        self._parse = parse
        self._empty = empty
        self.override: M | None = None
        self.generation = 0  # changes whenever the model in use changes

    @cached_property
    def shipped(self) -> M:
        path = resources.files("pipelines.text").joinpath("lexicons", self.file_name)
        return self._parse(path.read_text(encoding="utf-8")) if path.is_file() else self._empty()

    def model(self) -> M:
        return self.override if self.override is not None else self.shipped

    def use(self, model: M | None) -> None:
        """Install `model` instead of the shipped one (None restores it); for cross-validation and tests."""
        self.override = model
        self.generation += 1
