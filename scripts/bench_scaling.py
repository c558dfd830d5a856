"""Is every scan over text linear? Time per character of the extraction core at 100 KB and 1 MB.

    python scripts/bench_scaling.py            (also printed at the end of `make bench`)

Each shape is one hostile article repeated to size: one sentence full of quotation marks, one
paragraph of one-line sentences, abbreviations throughout, a long unpunctuated paragraph. A linear
core shows about the same microseconds per character at both sizes (ratio near 1); a quadratic
scan shows a ratio near 10. Machine-readable lines: `scaling shape=S us_per_char_100k=A us_per_char_1m=B ratio=R`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SHAPES = {
    "quotes_one_sentence": "“Yes,” said Jane Okafor, ‘the 'x ",
    "one_line_sentences": "Jane Okafor said\n",
    "abbreviations": "Mr. Okafor and Dr. Smith of the U.S. Senate said ",
    "no_punctuation": "word ",
}
SIZES = (100_000, 1_000_000)


def per_char(unit: str, size: int) -> float:
    """Microseconds per character to analyse `unit` repeated to `size` characters."""
    from pipelines.text.article import analyse
    from pipelines.text.normalise import normalise

    text = normalise((unit * (size // len(unit) + 1))[:size])
    started = time.perf_counter()
    analyse("bench", text)
    return (time.perf_counter() - started) / len(text) * 1e6


def rows() -> list[tuple[str, float, float]]:
    from pipelines.text.article import analyse

    analyse("warm", "Warm up, said Jane Okafor. “Yes,” she said.")  # lexicons load outside the timing
    return [(shape, per_char(unit, SIZES[0]), per_char(unit, SIZES[1])) for shape, unit in SHAPES.items()]


def report() -> None:
    print(f"{'scaling (us/char)':<22}{'100 KB':>10}{'1 MB':>10}{'ratio':>8}")
    for shape, small, big in rows():
        print(f"{shape:<22}{small:>10.2f}{big:>10.2f}{big / small:>8.2f}")
        print(f"scaling shape={shape} us_per_char_100k={small:.2f} us_per_char_1m={big:.2f} ratio={big / small:.2f}")


if __name__ == "__main__":
    report()
