"""Text normalisation and the article identifier: the one canonical form that offsets index into."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(raw: str) -> str:
    """Return the canonical text: NFC, `\\n` line ends, no BOM, no control characters,
    no trailing spaces, at most one blank line between paragraphs, no leading/trailing blank lines.

    >>> normalise("\\ufeffTitle \\r\\n\\r\\n\\r\\nBody\\r")
    'Title\\n\\nBody'
    """
    text = raw.replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def article_id(normalised_text: str) -> str:
    """First 16 hex digits of sha256 of the normalised text: same text, same id, on any machine."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]


_PUNCT_CHUNK = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


def word_count(text: str) -> int:
    """Whitespace-separated tokens containing at least one letter or digit."""
    # str.split() cuts at the same white space as the pattern `\s` (five times faster than finding `\S+`)
    return len(text.split()) - len(_PUNCT_CHUNK.findall(text))
