"""Hostile inputs: each one is processed correctly or quarantined with a clear message, and never
takes the rest of the batch down."""

from __future__ import annotations

import gzip
import os

import pytest

from pipelines.defs.run import materialise
from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import read_document
from pipelines.settings import paths as resolve_paths
from pipelines.store import lake
from pipelines.text.article import analyse
from pipelines.text.normalise import article_id, normalise

GOOD = "Harbour plan approved\n\n“We listened,” said Mayor Jane Okafor. The vote was close.\n"
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)


def one(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, tmp_path)


HOSTILE: dict[str, tuple[bytes, str | None]] = {
    # name: (bytes, expected error code, or None when the file must be processed)
    "empty.txt": (b"", "empty"),
    "whitespace.txt": (b" \n\t \r\n ", "empty"),
    "image.txt": (PNG, "not_text"),
    "archive.txt": (gzip.compress(b"text " * 500), "not_text"),
    "latin1.txt": ("Caf\u00e9 owners said prices rose in Z\u00fcrich.".encode("latin-1"), None),
    "cp1252.txt": ("\u201cPrices rose\u201d, the owner said \u2014 again.".encode("cp1252"), None),
    "utf16.txt": (GOOD.encode("utf-16"), None),
    "utf8bom.txt": (b"\xef\xbb\xbf" + GOOD.encode(), None),
    "crlf.txt": (GOOD.replace("\n", "\r\n").encode(), None),
    "cr.txt": (GOOD.replace("\n", "\r").encode(), None),
    "mojibake.txt": ("The caf\u00c3\u00a9 owner said \u00e2\u20ac\u0153yes\u00e2\u20ac\u009d.".encode(), None),
    "only_quotes.txt": ("\u201c\u201d\u201c \" \" \u2018\u2019 '' \u201c".encode(), None),
    "unbalanced.txt": ("He said \u201cthis never ends.\n\nAnd \u201cthis neither.".encode(), None),
    "emoji_rtl.txt": ("The minister said \u201c\U0001F600 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u201d.".encode(), None),
    "controls.txt": (b"Bad\x00 bytes\x07 in\x1b text said \x00the\x00 editor.", None),
    "broken.md": (b"---\ntitle: [unclosed\n: : :\n---\nThe body still reads.\n", None),
    "page.html": (b"<html><head><script>alert(1)</script></head><body><nav>Home | About</nav><article>"
                  + b"<p>The council approved the harbour plan on Tuesday after a long debate.</p>" * 4
                  + b"</article></body></html>", None),
    "notes.docx": (b"PK\x03\x04whatever", "unsupported"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_input(tmp_path, name):
    data, expected = HOSTILE[name]
    result = one(tmp_path, name, data)
    if expected is None:
        assert isinstance(result, Document), getattr(result, "message", result)
        assert result.text == normalise(result.text)
        assert "\x00" not in result.text and "\r" not in result.text
        _, rows = analyse(result.article_id, result.text)  # the core copes with it too
        assert rows["sentences"]
    else:
        assert isinstance(result, IngestError) and result.error == expected
        assert name in result.message and len(result.message) > len(name) + 5


def test_mojibake_is_repaired(tmp_path):
    doc = one(tmp_path, "m.txt", "The caf\u00c3\u00a9 owner said \u00e2\u20ac\u0153yes\u00e2\u20ac\u009d.".encode())
    assert doc.text == "The caf\u00e9 owner said \u201cyes\u201d."


def test_too_large_is_quarantined_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write(b"word " * (50 * 1024 * 1024 // 5))  # 50 MB
    err = read_document(path, tmp_path)
    assert isinstance(err, IngestError) and err.error == "too_large"
    assert "MB" in err.message and "split" in err.message


def test_one_huge_paragraph_without_punctuation_is_processed():
    text = normalise(("word " * 40_000).strip())  # 200 KB, one paragraph, no sentence end
    facts, rows = analyse(article_id(text), text)
    assert facts["n_paragraphs"] == 1 and rows["sentences"][0]["text"] == text
    assert len(rows["claims"]) == 1


def test_odd_file_names(tmp_path):
    for name in ("with spaces.txt", "ünïcödé ✓.txt", "dots..in..name.txt"):
        doc = one(tmp_path, name, GOOD.replace("close", name).encode())
        assert isinstance(doc, Document) and doc.source_path == name


def test_file_vanishing_while_read(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text(GOOD)
    path.unlink()
    err = read_document(path, tmp_path)
    assert isinstance(err, IngestError) and err.error == "unreadable"


def test_whole_hostile_batch_builds_and_keeps_the_good_articles(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "nested" / "deeper").mkdir(parents=True)
    for name, (data, _) in HOSTILE.items():
        (seeds / name).write_bytes(data)
    nested = GOOD.replace("Okafor", "Okafor-Reyes")  # a text of its own (several inputs above repeat GOOD)
    (seeds / "nested" / "deeper" / "good.txt").write_text(nested)
    (seeds / "nested" / "copy of good.txt").write_text(nested)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, seeds / "link.txt")
    result = materialise(seeds, tmp_path / "wh" / "claims.sqlite")
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    con = lake.connect(resolve_paths(seeds, tmp_path / "wh" / "claims.sqlite"), read_only=True)
    errors = dict(con.execute("SELECT source_path, error FROM ingest_errors").fetchall())
    expected = {n: e for n, (_, e) in HOSTILE.items() if e}
    assert {k: errors[k] for k in expected} == expected
    assert errors["link.txt"] == "symlink_outside"
    paths = {r[0] for r in con.execute("SELECT source_path FROM articles").fetchall()}
    pair = {"nested/copy of good.txt", "nested/deeper/good.txt"}
    assert len(pair & paths) == 1 and errors[(pair - paths).pop()] == "duplicate"  # one article, both paths known
    # inputs whose text is the same (GOOD in four encodings and line-end styles) are one article
    processed = {n for n, (_, e) in HOSTILE.items() if e is None}
    assert processed <= paths | {k for k, v in errors.items() if v == "duplicate"}
