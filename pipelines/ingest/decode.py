"""Bytes to text: BOM-aware decoding with charset detection, and binary-file detection."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of common binary formats people drop into folders by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"\x1f\x8b", b"PK\x03\x04", b"%PDF", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"BZh")


class DecodeError(ValueError):
    """The bytes are not text; `kind` is the ingest error code."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def decode(data: bytes) -> str:
    """Decode `data` to str: BOM first, then strict UTF-8, then charset detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError("encoding", f"starts with a {encoding} byte-order mark but does not decode: {exc}") from exc
    if data.startswith(_BINARY_MAGIC):
        raise DecodeError("not_text", "is a binary file (image, archive or executable), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise DecodeError("not_text", "contains NUL bytes throughout: looks binary, not text")
    # English news that is not UTF-8 is almost always Windows-1252 (a superset of Latin-1 for text);
    # charset detection on short texts often picks a Central-European code page instead.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("encoding", "is neither UTF-8 nor any encoding charset-normalizer recognises")
    return str(best)
