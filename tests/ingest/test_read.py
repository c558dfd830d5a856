"""Ingest: every bad-input kind becomes an explained error; good files become documents."""

import gzip
import os

import pytest

from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import MAX_BYTES, read_document, read_seeds

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def one(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, tmp_path)


def test_plain_text(tmp_path):
    doc = one(tmp_path, "a.txt", b"Title\r\n\r\nBody text.\r\n")
    assert isinstance(doc, Document)
    assert doc.text == "Title\n\nBody text." and doc.source_path == "a.txt"


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\t\n  ", "empty"),
    ("image.txt", PNG, "not_text"),
    ("archive.txt", gzip.compress(b"hello world" * 100), "not_text"),
    ("picture.png", PNG, "unsupported"),
    ("noext", b"hello", "unsupported"),
])
def test_bad_inputs_are_errors(tmp_path, name, data, kind):
    err = one(tmp_path, name, data)
    assert isinstance(err, IngestError)
    assert err.error == kind
    assert name in err.message


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    err = read_document(path, tmp_path)
    assert isinstance(err, IngestError) and err.error == "too_large"


@pytest.mark.parametrize(("encoding", "bom"), [("latin-1", b""), ("cp1252", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_encodings(tmp_path, encoding, bom):
    text = "Café owners said “prices” rose — again, in Zürich and São Paulo, naïvely."
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("—", "-")
    doc = one(tmp_path, "enc.txt", bom + text.encode(encoding))
    assert isinstance(doc, Document)
    assert doc.text == text


def test_markdown_front_matter(tmp_path):
    md = "---\ntitle: Harbour plan approved\npublished: 2021-08-14\nauthor: A. Writer\n---\n# Harbour plan approved\n\nBody here.\n"
    doc = one(tmp_path, "a.md", md.encode())
    assert doc.title == "Harbour plan approved"
    assert str(doc.published_on) == "2021-08-14"
    assert doc.text.startswith("Harbour plan approved\n\nBody")


def test_markdown_broken_front_matter_still_reads(tmp_path):
    doc = one(tmp_path, "b.md", b"---\ntitle: [unclosed\n---\nBody text here.\n")
    assert isinstance(doc, Document) and doc.text == "Body text here."


def test_html_main_text(tmp_path):
    html = ("<html><head><title>Harbour plan</title><script>alert('x')</script></head><body>"
            "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>Harbour plan</h1>"
            + "<p>The council approved the harbour plan on Tuesday after a long debate about rents.</p>" * 5
            + "</article><footer>Copyright</footer></body></html>")
    doc = one(tmp_path, "a.html", html.encode())
    assert isinstance(doc, Document)
    assert "council approved" in doc.text and "alert" not in doc.text


def test_duplicates_and_batch_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text("Same text here.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Same text here.\n")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_text("Other text.")
    docs, errors, _ = read_seeds(tmp_path)
    assert sorted(d.source_path for d in docs) == ["a.txt", "d.txt"]
    assert sorted((e.source_path, e.error) for e in errors) == [("c.txt", "empty"), ("sub/b.txt", "duplicate")]


def test_symlink_outside_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    os.symlink(outside, seeds / "link.txt")
    docs, errors, _ = read_seeds(seeds)
    assert not docs and errors[0].error == "symlink_outside"


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("First text here.")
    (tmp_path / "b.txt").write_text("Second text here.")
    docs, _, stamps = read_seeds(tmp_path)
    cached = {d.source_path: (stamps[d.source_path], d) for d in docs}
    (tmp_path / "b.txt").write_text("Second text, changed and longer.")
    read = []
    import pipelines.ingest.read as module

    original = module.read_document
    monkeypatch.setattr(module, "read_document", lambda p, r: read.append(p.name) or original(p, r))
    docs2, _, _ = read_seeds(tmp_path, cached)
    assert read == ["b.txt"]
    assert sorted(d.text for d in docs2) == ["First text here.", "Second text, changed and longer."]
