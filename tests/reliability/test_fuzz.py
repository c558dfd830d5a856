"""Bounded fuzzing of the ingest and segmentation entry points (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest.documents import Document, IngestError
from pipelines.ingest.read import read_document
from pipelines.text.article import analyse
from pipelines.text.normalise import normalise
from pipelines.text.segment import segment

SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".htm", ".text"])
MARKUP = st.sampled_from([b"---\n", b"title: x\n", b"<p>", b"</p>", b"<script>", b"\xef\xbb\xbf", b"\xff\xfe",
                          b"\r\n", b"\x00", b"\xe2\x80\x9c", b"\xe2\x80\x9d", b"said ", b"\n\n", b"# ", b"..."])
BYTES = st.one_of(st.binary(max_size=600), st.lists(st.one_of(MARKUP, st.binary(max_size=20)), max_size=60).map(b"".join))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BYTES, SUFFIXES)
def test_ingest_never_raises(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        result = read_document(path, Path(tmp))
    assert isinstance(result, Document | IngestError)
    if isinstance(result, Document):
        assert result.text and normalise(result.text) == result.text
        analyse(result.article_id, result.text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_segmentation_never_raises_and_tiles(text: str):
    text = normalise(text)
    layout = segment(text)
    for s in layout.sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end].strip() == text[s.start:s.end]
