"""The records ingest produces: a readable document, or an error explaining why a file was refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """One input file read and normalised; `text` is what every offset indexes into."""

    article_id: str
    source_path: str
    text: str
    title: str | None = None
    published_on: dt.date | None = None
    title_from_metadata: bool = False


@dataclass(frozen=True, slots=True)
class IngestError:
    """An input that could not be read, with a message a person understands."""

    source_path: str
    error: str  # empty, not_text, encoding, too_large, unsupported, unreadable, symlink_outside
    message: str
