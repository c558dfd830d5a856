import pytest

from pipelines.text.sentences import split_sentences


def sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lt. Gen. Ann Smith spoke. She left.", ["Lt. Gen. Ann Smith spoke.", "She left."]),
        ("He lives in the U.S. The move was sudden.", ["He lives in the U.S.", "The move was sudden."]),
        ("The U.S. Army agreed.", ["The U.S. Army agreed."]),
        ("It happened on Sept. 11 in New York. Then it ended.", ["It happened on Sept. 11 in New York.", "Then it ended."]),
        ("Growth was 3.5 per cent. Prices fell.", ["Growth was 3.5 per cent.", "Prices fell."]),
        ("John F. Kennedy spoke. Crowds cheered.", ["John F. Kennedy spoke.", "Crowds cheered."]),
        ("“We won.” Then the room went quiet.", ["“We won.”", "Then the room went quiet."]),
        ("“Why now?” asked the minister.", ["“Why now?” asked the minister."]),
        ('"It works," she said. "Mostly."', ['"It works," she said.', '"Mostly."']),
        ("Dr. Who met Mr. Smith at 5 p.m. on Friday.", ["Dr. Who met Mr. Smith at 5 p.m. on Friday."]),
        ("Was it? Yes! It was.", ["Was it?", "Yes!", "It was."]),
    ],
)
def test_split(text, expected):
    assert sents(text) == expected


def test_offsets_inside_a_paragraph():
    text = "Title\n\nFirst one. Second one."
    spans = split_sentences(text, 7, len(text))
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one."]


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ('"Is that all there is?" Hale asked. The room went quiet.', 2),  # the frame stays with its question
        ("“Why now?” Councillor Jane Okafor asked. Nobody answered.", 2),
        ("He asked: “Why?” The answer came later.", 2),  # a new sentence after the quotation
        ("“Really?” He said nothing more.", 2),
    ],
)
def test_a_quoted_question_and_its_frame_are_one_sentence(text, n):
    assert len(split_sentences(text)) == n


@pytest.mark.parametrize(
    "text",
    [
        'The day after the vote, the governor called the queues "unacceptable." City Mayor Ann Lee wrote to the board.',
        "He called the report “a disgrace.” Councillor Tom Reilly said he agreed.",
    ],
)
def test_a_quotation_inside_a_sentence_ends_it_before_a_new_speaker(text):
    # the quotation did not open its sentence, so the name and verb after it begin a new one
    assert len(sents(text)) == 2


def test_a_quotation_that_opens_its_sentence_keeps_its_british_frame():
    assert sents("Rain fell. “We will win.” Jane Okafor said.") == ["Rain fell.", "“We will win.” Jane Okafor said."]
