"""Bytes to text: BOM-aware decoding with charset detection, and binary-file detection.

A file that is almost UTF-8 but holds a few Windows-1252 bytes (smart quotes pasted from a word
processor) is decoded sequence by sequence: UTF-8 where the bytes are UTF-8, Windows-1252 for the
stray bytes, so one pasted quote does not garble the whole text.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of common binary formats people drop into folders by mistake.
# a well-formed multi-byte UTF-8 sequence: Windows-1252 text almost never contains one by chance
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
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
    if _UTF8_SEQUENCE.search(data):
        return decode_mixed(data)
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


def _cp1252_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decode-error handler: the bytes that are not UTF-8 read as Windows-1252."""
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("claims_cp1252_bytes", _cp1252_bytes)


def decode_mixed(data: bytes) -> str:
    """UTF-8 with stray Windows-1252 bytes: every well-formed UTF-8 sequence is read as UTF-8, every
    byte that breaks UTF-8 as Windows-1252 (finer than line by line: both may share a line)."""
    return data.decode("utf-8", errors="claims_cp1252_bytes")
