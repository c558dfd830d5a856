"""A few hundred distinct synthetic news articles, written for these tests (British and American)."""

from __future__ import annotations

from pathlib import Path

PEOPLE = ["Jane Okafor", "Tom Reilly", "Maria Gonzalez", "David Chen", "Aisha Rahman", "Peter Novak",
          "Laura Bennett", "Samuel Adeyemi", "Hannah Fischer", "Carlos Mendes", "Fiona MacLeod", "Ravi Patel"]
ROLES = ["the mayor", "a council spokesman", "the finance minister", "a union leader", "the chief executive",
         "a local shop owner", "the health secretary", "an opposition senator"]
PLACES = ["Leeds", "Ohio", "Bristol", "Denver", "Glasgow", "Texas", "Cardiff", "Oregon"]
TOPICS = ["harbour plan", "rail fare rise", "hospital budget", "school reform", "bridge repair", "tax cut",
          "housing scheme", "water tariff"]
CUES = ["said", "told reporters", "warned", "claimed", "insisted", "argued"]
TEMPLATE = """{Topic} divides {place} as vote nears

The {topic} in {place} will cost about {amount} million pounds, according to figures published on {day}.

“We cannot afford to wait any longer,” {cue} {person}, {role}, who has backed the {topic} since {year}.

{other}, however, {cue2} that the plan could push prices up and might be delayed until {year2}.

Officials said a final decision was expected next month. {person_last} is believed to favour an early vote.
"""
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article(i: int) -> str:
    """The i-th synthetic article: every field varies with i, so every text (and id) is distinct."""
    person, other = PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 5 + 3) % len(PEOPLE)]
    topic = TOPICS[(i // 3) % len(TOPICS)]
    return TEMPLATE.format(
        Topic=topic.capitalize(), topic=topic, place=PLACES[(i // 2) % len(PLACES)], amount=10 + i,
        day=DAYS[i % len(DAYS)], cue=CUES[i % len(CUES)], cue2=CUES[(i + 2) % len(CUES)], person=person,
        role=ROLES[(i // 4) % len(ROLES)], year=1990 + i % 30, other=other, year2=2030 + i % 7,
        person_last=person.split()[-1])


def write_corpus(folder: Path, n: int, seed_copies: int = 0, seed: Path | None = None) -> None:
    """n synthetic articles, `seed_copies` varied copies of `seed`, and two unreadable files."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_text(article(i), encoding="utf-8")
    if seed is not None:
        text = seed.read_text(encoding="utf-8")
        for i in range(seed_copies):
            (folder / "long" / f"s{i:03d}.txt").parent.mkdir(exist_ok=True)
            (folder / "long" / f"s{i:03d}.txt").write_text(f"Dispatch {i + 1} of the series.\n\n{text}", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 4)
