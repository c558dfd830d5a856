"""The records ingest produces: a readable document, or an error explaining why a file was refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Notice = tuple[str, str]  # (ingest_errors kind, message): something ignored or repaired, article kept


@dataclass(frozen=True, slots=True)
class Document:
    """One input file read and normalised; `text` is what every offset indexes into.

    `notices` are what was ignored or repaired on the way (a bad date, an alias bomb in the front
    matter, text recovered by a fallback parser); each becomes an `ingest_errors` row while the
    article itself is kept.
    """

    article_id: str
    source_path: str
    text: str
    title: str | None = None
    published_on: dt.date | None = None
    title_from_metadata: bool = False
    notices: tuple[Notice, ...] = ()

    def __post_init__(self) -> None:
        # rows read back from Parquet carry notices as {"kind", "message"} structs
        object.__setattr__(self, "notices", as_notices(self.notices))


def as_notices(items: Iterable[Notice | Mapping[str, str]] | None) -> tuple[Notice, ...]:
    """Notices as (kind, message) pairs, from pairs or from {"kind": ..., "message": ...} rows."""
    return tuple((i["kind"], i["message"]) if isinstance(i, Mapping) else (i[0], i[1]) for i in items or ())


@dataclass(frozen=True, slots=True)
class IngestError:
    """An input that could not be read, with a message a person understands."""

    source_path: str
    error: str  # empty, not_text, encoding, too_large, unsupported, unreadable, symlink_outside, not_regular, ...
    message: str
