"""Invisible format characters (zero-width, soft hyphen, bidi controls) hidden from the analysis.

`Jane\u200bOkafor` or a right-to-left mark inside a name breaks every word match, so the analysis
runs on the text without them; the rows it produces are then mapped back so that every offset
indexes the stored text, invisible characters included, and every span's text is re-read from it.
A line holding nothing but invisible characters is left as it is (it is no paragraph's text).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

# zero-width space/non-joiner/joiner, word joiner and invisible operators, soft hyphen, BOM, and the
# bidirectional controls (marks, embeddings, overrides, isolates, Arabic letter mark)
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
START_KEYS = ("char_start", "source_start", "cue_start")
END_KEYS = ("char_end", "source_end", "cue_end")
SPAN_TEXT = {"sentences": "text", "claims": "text", "quotes": "text", "mentions": "surface",
             "time_expressions": "surface"}


@dataclass(frozen=True, slots=True)
class Hidden:
    """`visible` is `original` without invisible characters; `positions[i]` is where visible[i] stands."""

    original: str
    visible: str
    positions: array

    def start(self, i: int) -> int:
        return self.positions[i] if i < len(self.positions) else len(self.original)

    def end(self, i: int) -> int:
        return self.positions[i - 1] + 1 if i > 0 else 0

    def restore(self, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
        """Rows computed on `visible`, with offsets and span texts of `original` (in place)."""
        for table, trows in rows.items():
            text_key = SPAN_TEXT.get(table)
            for row in trows:
                for key in START_KEYS:
                    if row.get(key) is not None:
                        row[key] = self.start(row[key])
                for key in END_KEYS:
                    if row.get(key) is not None:
                        row[key] = self.end(row[key])
                if text_key:
                    row[text_key] = self.original[row["char_start"]:row["char_end"]]
        for row in rows.get("paragraphs", ()):  # paragraphs also take the invisible characters at their edges,
            row["char_start"], row["char_end"] = self._widen(row["char_start"], row["char_end"])  # so only
        return rows  # white space lies between them

    def _widen(self, a: int, b: int) -> tuple[int, int]:
        """[a, b) grown over invisible characters (and spaces among them) just outside it."""
        text, first, i = self.original, a, a - 1
        while i >= 0 and (text[i] in " \t" or INVISIBLE.match(text, i)):
            if text[i] not in " \t":
                first = i
            i -= 1
        last, j = b, b
        while j < len(text) and (text[j] in " \t" or INVISIBLE.match(text, j)):
            if text[j] not in " \t":
                last = j + 1
            j += 1
        return first, last


def hide(text: str) -> Hidden | None:
    """The text without invisible characters and where each remaining one stands; None if there are none."""
    if not INVISIBLE.search(text):
        return None
    positions = array("q")
    kept: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if INVISIBLE.search(line) and INVISIBLE.sub("", line).strip():
            last = 0
            for m in INVISIBLE.finditer(line):
                positions.extend(range(offset + last, offset + m.start()))
                kept.append(line[last:m.start()])
                last = m.end()
            positions.extend(range(offset + last, offset + len(line)))
            kept.append(line[last:])
        else:  # nothing to hide, or a line of nothing but invisible characters: left as it is
            positions.extend(range(offset, offset + len(line)))
            kept.append(line)
        offset += len(line)
    return Hidden(text, "".join(kept), positions)
