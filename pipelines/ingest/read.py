"""Walking the seeds folder and turning each file into a Document or an IngestError."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import ftfy

from pipelines.ingest.decode import DecodeError, decode
from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.formats import READERS
from pipelines.text.normalise import article_id, normalise

MAX_BYTES = 20 * 1024 * 1024
# UTF-8 read as Windows-1252 leaves these pairs behind; clean text almost never has them
_MOJIBAKE_HINT = re.compile("[ÃÂâÅÐ][\u0080-\u00bf\u0152-\u0192\u2013-\u203a\u20ac\u2122]")
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", ".gitkeep", "README.md"})


def seed_files(root: Path) -> Iterator[Path]:
    """Files under `root`, recursively, in a stable order; hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name not in IGNORED_NAMES:
                yield Path(dirpath) / name


def read_document(path: Path, root: Path) -> Document | IngestError:
    """Read one file; every failure is returned as an IngestError, never raised."""
    rel = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                return IngestError(rel, "symlink_outside", f"{rel}: is a symbolic link to {target}, outside the seeds folder; not followed")
        suffix = path.suffix.lower()
        reader = READERS.get(suffix)
        if reader is None:
            known = ", ".join(sorted(READERS))
            return IngestError(rel, "unsupported", f"{rel}: unsupported file type '{suffix or '(none)'}'; use one of {known}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            return IngestError(rel, "too_large", f"{rel}: {size / 1e6:.1f} MB is over the {MAX_BYTES / 1e6:.0f} MB limit; split the file")
        data = path.read_bytes()
        raw = decode(data)
        if _MOJIBAKE_HINT.search(raw):  # mojibake ("cafÃ©") back to what was meant ("café")
            raw = ftfy.fix_encoding(raw)
        parsed = reader(raw)
        text = normalise(parsed.body)
        if not text.strip():
            what = "is empty" if not data.strip() else "has no readable text (only white space or markup)"
            return IngestError(rel, "empty", f"{rel}: {what}")
        return Document(
            article_id=article_id(text),
            source_path=rel,
            text=text,
            title=normalise(parsed.title) if parsed.title else None,
            published_on=parsed.published_on,
            title_from_metadata=parsed.title is not None,
        )
    except DecodeError as exc:
        return IngestError(rel, exc.kind, f"{rel}: {exc}")
    except OSError as exc:
        return IngestError(rel, "unreadable", f"{rel}: cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a reader library failing must not take the batch down
        return IngestError(rel, "unreadable", f"{rel}: could not be parsed ({type(exc).__name__}: {exc})")


Stamp = tuple[int, int]  # size in bytes, modification time in ns


def read_seeds(root: Path, cached: Mapping[str, tuple[Stamp, Document]] | None = None
               ) -> tuple[list[Document], list[IngestError], dict[str, Stamp]]:
    """Every file under `root`: distinct documents (first path wins for identical text), errors, and
    the size and modification time of each document's file.

    A file whose path, size and modification time match `cached` is not read again: its cached
    document is reused (an unchanged folder of thousands of files is scanned, not re-read).
    """
    docs: dict[str, Document] = {}
    errors: list[IngestError] = []
    stamps: dict[str, Stamp] = {}
    cached = cached or {}
    for path in seed_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            st = path.lstat()
            stamp: Stamp | None = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
        hit = cached.get(rel)
        result = hit[1] if hit is not None and stamp is not None and hit[0] == stamp else read_document(path, root)
        if isinstance(result, Document) and stamp is not None:
            stamps[result.source_path] = stamp
        if isinstance(result, IngestError):
            errors.append(result)
        elif result.article_id in docs:
            first = docs[result.article_id].source_path
            errors.append(IngestError(result.source_path, "duplicate", f"{result.source_path}: same text as {first}; kept once as article {result.article_id}"))
        else:
            docs[result.article_id] = result
    return list(docs.values()), errors, {d.source_path: stamps[d.source_path] for d in docs.values() if d.source_path in stamps}
