"""Walking the seeds folder and turning each file into a Document or an IngestError."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

import ftfy

from pipelines.ingest.decode import DecodeError, decode
from pipelines.ingest.documents import Document, IngestError, Notice
from pipelines.ingest.formats import READERS
from pipelines.text.normalise import article_id, normalise

MAX_BYTES = 20 * 1024 * 1024
READ_CHUNK = 1024 * 1024
# UTF-8 read as Windows-1252 leaves these pairs behind; clean text almost never has them
_MOJIBAKE_HINT = re.compile("[ÃÂâÅÐ][\u0080-\u00bf\u0152-\u0192\u2013-\u203a\u20ac\u2122]")
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", ".gitkeep", "README.md"})


def seed_files(root: Path, errors: list[IngestError] | None = None) -> Iterator[Path]:
    """Files under `root`, recursively, in a stable order; hidden files and folders skipped.

    A folder that cannot be listed is reported in `errors` (when given) instead of vanishing.
    """
    for path, _rel in seed_paths(root, errors):
        yield Path(path)


def seed_paths(root: Path, errors: list[IngestError] | None = None) -> Iterator[tuple[str, str]]:
    """(path, path relative to `root` with `/`) of every file `seed_files` yields, in the same order;
    plain strings, so walking tens of thousands of unchanged files costs milliseconds."""
    def unlistable(exc: OSError) -> None:
        if errors is not None:
            rel = Path(os.path.relpath(exc.filename, root)).as_posix() if exc.filename else "."
            errors.append(IngestError(rel, "unreadable", f"{rel}: folder cannot be listed ({exc.strerror or exc});"
                                                         " the files in it were not read"))

    top = str(root)
    for dirpath, dirnames, filenames in os.walk(top, onerror=unlistable, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        prefix = os.path.relpath(dirpath, top).replace(os.sep, "/") + "/" if dirpath != top else ""
        for name in sorted(filenames):
            if not name.startswith(".") and name not in IGNORED_NAMES:
                yield os.path.join(dirpath, name), prefix + name


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is, else None."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _read_capped(path: Path, rel: str) -> bytes | IngestError:
    """The bytes of a regular file, never more than MAX_BYTES + 1 of them.

    Opened without blocking (a FIFO swapped in after the check cannot hang the batch) and checked
    again on the open handle, so what is read is what was checked.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        what = _not_regular(st.st_mode)
        if what:
            return IngestError(rel, "not_regular", f"{rel}: is {what}, not a regular file; not read")
        if st.st_size > MAX_BYTES:
            return _too_large(rel, st.st_size)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(READ_CHUNK, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:  # it grew while being read, or reports no size (/proc-like files)
            return _too_large(rel, size, "at least ")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(rel: str, size: int, prefix: str = "") -> IngestError:
    return IngestError(rel, "too_large", f"{rel}: {prefix}{size / 1e6:.1f} MB is over the {MAX_BYTES / 1e6:.0f} MB"
                                         " limit; split the file")


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
        what = _not_regular(path.stat().st_mode)  # follows a symbolic link inside the seeds folder
        if what:
            return IngestError(rel, "not_regular", f"{rel}: is {what}, not a regular file; not read")
        data = _read_capped(path, rel)
        if isinstance(data, IngestError):
            return data
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
            notices=_merged(rel, parsed.warnings),
        )
    except DecodeError as exc:
        return IngestError(rel, exc.kind, f"{rel}: {exc}")
    except OSError as exc:
        return IngestError(rel, "unreadable", f"{rel}: cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a reader library failing must not take the batch down
        return IngestError(rel, "unreadable", f"{rel}: could not be parsed ({type(exc).__name__}: {exc})")


def _merged(rel: str, notices: tuple[Notice, ...]) -> tuple[Notice, ...]:
    """One notice per kind (ingest_errors is keyed by path and kind), messages joined in order."""
    kinds = dict.fromkeys(kind for kind, _ in notices)
    return tuple((k, f"{rel}: " + "; ".join(m for kind, m in notices if kind == k)) for k in kinds)


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
    for path in seed_files(root, errors):
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
            continue
        errors.extend(IngestError(result.source_path, kind, message) for kind, message in result.notices)
        if result.article_id in docs:
            first = docs[result.article_id].source_path
            errors.append(IngestError(result.source_path, "duplicate", f"{result.source_path}: same text as {first}; kept once as article {result.article_id}"))
        else:
            docs[result.article_id] = result
    return list(docs.values()), errors, {d.source_path: stamps[d.source_path] for d in docs.values() if d.source_path in stamps}
