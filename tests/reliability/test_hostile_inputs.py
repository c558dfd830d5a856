"""Hostile inputs: each one is processed correctly or quarantined with a clear message, and never
takes the rest of the batch down."""

from __future__ import annotations

import gzip
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from pipelines.defs.run import materialise
from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import read_document, read_seeds
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
    "mixed_cp1252_utf8.txt": ("The “plan” — approved.\n".encode() + "“We listened,” said Jane Okafor.\n".encode("cp1252"), None),
}

BOMB = ("---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\ntitle: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n---\n")
DEEP = 300
# name: (bytes, the notice kind the kept article must carry, a word its message must contain)
NOTICED: dict[str, tuple[bytes, str, str]] = {
    "alias_bomb.md": ((BOMB + "The harbour body text stays.\n").encode(), "metadata", "alias"),
    "bad_date.md": (b"---\ntitle: Harbour plan\npublished: 2026-13-45\n---\nThe harbour body text stays.\n", "metadata", "2026-13-45"),
    "word_date.md": (b"---\ntitle: Harbour plan\npublished: yesterday\n---\nThe harbour body text stays.\n", "metadata", "yesterday"),
    "list_title.md": (b"---\ntitle: [a, b]\n---\nThe harbour body text stays.\n", "metadata", "title"),
    "python_tag.md": (b"---\ntitle: !!python/object/apply:os.system [echo]\n---\nThe harbour body text stays.\n", "metadata", "python"),
    "broken_yaml.md": (b"---\ntitle: [unclosed\n: : :\n---\nThe harbour body text stays.\n", "metadata", "YAML"),
    "huge_front.md": (("---\ntitle: x\nnotes: " + "y" * 70_000 + "\n---\nThe harbour body text stays.\n").encode(), "metadata", "KB"),
    "deep_yaml.md": (("---\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n---\nThe harbour body text stays.\n").encode(),
                     "metadata", "deeply"),
    "deep.html": (("<html><body>" + "<div>" * DEEP + "<p>The council approved the harbour plan on Tuesday.</p>" * 3
                   + "</div>" * DEEP + "</body></html>").encode(), "html_fallback", "nested"),
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
    os.mkfifo(seeds / "nested" / "pipe.txt")
    for name, (data, _, _) in NOTICED.items():  # each a text of its own, so none is a duplicate
        (seeds / name).write_bytes(data.replace(b"stays.", f"stays in {name}.".encode()).replace(b"Tuesday.", f"Tuesday in {name}.".encode()))
    result = materialise(seeds, tmp_path / "wh" / "claims.sqlite")
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    con = lake.open_warehouse(tmp_path / "wh" / "claims.sqlite")
    errors = dict(con.execute("SELECT source_path, error FROM ingest_errors").fetchall())
    expected = {n: e for n, (_, e) in HOSTILE.items() if e}
    assert {k: errors[k] for k in expected} == expected
    assert errors["link.txt"] == "symlink_outside"
    assert errors["nested/pipe.txt"] == "not_regular"
    paths = {r[0] for r in con.execute("SELECT source_path FROM articles").fetchall()}
    # metadata problems: the article is there, and so is the row saying what was ignored
    assert {n: errors[n] for n in NOTICED} == {n: k for n, (_, k, _) in NOTICED.items()}
    assert set(NOTICED) <= paths
    pair = {"nested/copy of good.txt", "nested/deeper/good.txt"}
    assert len(pair & paths) == 1 and errors[(pair - paths).pop()] == "duplicate"  # one article, both paths known
    # inputs whose text is the same (GOOD in four encodings and line-end styles) are one article
    processed = {n for n, (_, e) in HOSTILE.items() if e is None}
    assert processed <= paths | {k for k, v in errors.items() if v == "duplicate"}


@pytest.mark.parametrize("name", sorted(NOTICED))
def test_metadata_problems_cost_metadata_not_the_article(tmp_path, name):
    data, kind, word = NOTICED[name]
    doc = one(tmp_path, name, data)
    assert isinstance(doc, Document), getattr(doc, "message", doc)
    assert "harbour" in doc.text
    assert [k for k, _ in doc.notices] == [kind]
    message = doc.notices[0][1]
    assert message.startswith(name) and word.lower() in message.lower() and len(message) < 2000


def test_alias_bomb_is_not_expanded(tmp_path):
    doc = one(tmp_path, "bomb.md", (BOMB + "Body.\n").encode())
    assert doc.title is None and doc.published_on is None


def test_good_front_matter_still_gives_its_fields_and_no_notice(tmp_path):
    doc = one(tmp_path, "ok.md", b"---\ntitle: Harbour plan\npublished: 2021-08-14\n---\nBody text.\n")
    assert doc.title == "Harbour plan" and str(doc.published_on) == "2021-08-14" and doc.notices == ()


def test_mixed_encodings_are_decoded_without_garbling(tmp_path):
    # the UTF-8 closing quote (e2 80 9d) holds a byte Windows-1252 does not define: no one code page fits
    utf8 = "The mayor’s “plan” — approved in Zürich.\n"
    cp1252 = "“We listened,” said Jane Okafor – café.\n"
    doc = one(tmp_path, "mixed.txt", utf8.encode() + cp1252.encode("cp1252") + utf8.encode())
    assert doc.text == (utf8 + cp1252 + utf8).strip()


def test_deeply_nested_html_keeps_its_text(tmp_path):
    doc = one(tmp_path, "deep.html", NOTICED["deep.html"][0])
    assert doc.text.count("The council approved the harbour plan on Tuesday.") == 3


def _read_in_thread(path, root):
    """read_document in a thread: a read that blocks (a FIFO) fails the test instead of hanging it."""
    out = []
    worker = threading.Thread(target=lambda: out.append(read_document(path, root)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert out, f"reading {path.name} blocked"
    return out[0]


def test_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    err = _read_in_thread(tmp_path / "pipe.txt", tmp_path)
    assert isinstance(err, IngestError) and err.error == "not_regular" and "FIFO" in err.message


def test_fifo_behind_a_symlink_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "pipe", tmp_path / "link.txt")
    err = _read_in_thread(tmp_path / "link.txt", tmp_path)
    assert isinstance(err, IngestError) and err.error == "not_regular"


def test_socket_is_refused(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock.txt"))
        err = _read_in_thread(tmp_path / "sock.txt", tmp_path)
    finally:
        server.close()
    assert isinstance(err, IngestError) and err.error == "not_regular" and "socket" in err.message


def test_device_file_is_refused(tmp_path):
    try:
        os.mknod(tmp_path / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # a copy of /dev/zero
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    err = _read_in_thread(tmp_path / "zero.txt", tmp_path)
    assert isinstance(err, IngestError) and err.error == "not_regular" and "device" in err.message


def test_folder_named_like_an_article_is_refused(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    err = read_document(tmp_path / "folder.txt", tmp_path)
    assert isinstance(err, IngestError) and err.error == "not_regular"


def test_bytes_read_are_capped_even_when_the_size_lies(monkeypatch):
    import pipelines.ingest.read as module

    monkeypatch.setattr(module, "MAX_BYTES", 64)
    proc = Path("/proc/self/status")  # a regular file that reports size 0 and holds more
    if not proc.exists():
        pytest.skip("no /proc")
    err = module._read_capped(proc, "status")
    assert isinstance(err, IngestError) and err.error == "too_large" and "at least" in err.message


def test_unlistable_folder_gets_a_row(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("Hidden text here.")
    (tmp_path / "b.txt").write_text("Visible text here.")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # tests run as root, where chmod 000 does not lock
    docs, errors, _ = read_seeds(tmp_path)
    assert [d.source_path for d in docs] == ["b.txt"]
    assert [(e.source_path, e.error) for e in errors] == [("locked", "unreadable")]
    assert "Permission denied" in errors[0].message


NINE_QUOTES = """Harbour vote splits the council

“We listened to every trader,” said Mayor Jane Okafor on Tuesday.
“The plan protects the old quay,” Okafor added.
Tom Reilly, a shop owner, said: “Rents will double within a year.”
“Nobody asked the fishermen,” Reilly said.
Council member Priya Natarajan said the vote was “rushed and unfair”.
“We will appeal,” Natarajan told reporters.
“Work starts in spring,” said Harbour Master Aled Hughes.
“The budget is fixed,” Hughes said.
“It is a good day,” Okafor said.
"""
INVISIBLE = {"zero-width space": "\u200b", "zero-width joiner": "\u200d", "soft hyphen": "\u00ad",
             "left-to-right mark": "\u200e", "right-to-left isolate": "\u2067"}


def speakers(text: str) -> list[tuple[str, str | None]]:
    _, rows = analyse(article_id(text), text)
    names = {s["source_id"]: s["name"] for s in rows["sources"]}
    for table, key in (("quotes", "text"), ("claims", "text"), ("sentences", "text"), ("mentions", "surface")):
        for r in rows[table]:  # every offset indexes the text as stored, invisible characters included
            assert text[r["char_start"]:r["char_end"]] == r[key], table
    return [(q["text"].translate(STRIP), names.get(q["source_id"])) for q in rows["quotes"]]


STRIP = {ord(c): None for c in INVISIBLE.values()}


@pytest.mark.parametrize("kind", sorted(INVISIBLE))
def test_invisible_characters_in_names_keep_the_speakers(kind):
    mark = INVISIBLE[kind]
    clean = normalise(NINE_QUOTES)
    dirty = normalise(NINE_QUOTES.replace("Okafor", f"Oka{mark}for").replace("Tom Reilly", f"Tom{mark} Reilly")
                      .replace("Natarajan", f"{mark}Natarajan{mark}").replace("Aled Hughes", f"Aled {mark}Hughes"))
    assert dirty != clean
    expected = speakers(clean)
    assert len(expected) == 9 and all(name for _, name in expected)
    assert [(q, n) for q, n in speakers(dirty)] == [(q, n) for q, n in expected]


def test_one_huge_sentence_full_of_quotation_marks_is_analysed_within_budget():
    """400 KB in one sentence, a quotation mark every few words: the quote scan was quadratic
    (320 KB took 44 s, 5 MB hours); now it is linear and the article is analysed, not cut off."""
    from pipelines import guard

    text = normalise(("He said 'x and “y ‘z " * 25_000)[:400_000])
    result = guard.analyse_within_budget(Document(article_id(text), "quotes.txt", text), seconds=30)
    assert not isinstance(result, IngestError), result.message
    assert result[0]["n_paragraphs"] == 1
