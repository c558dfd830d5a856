"""Confidence of an attribution: how often attributions read the same way were right in annotated text.

Each attributed claim is summarised by its *reading*: the frame kind (`quote`, `reported`,
`according`, `continuation`, ...), where the cue came from (`say`, another speech verb, a belief or
intention verb, a cue learned from data), what names the source (a name, a pronoun, a description,
nothing) and whether the content is quoted. `lexicons/confidence.tsv` (written by `make train`)
holds, per reading, how many such attributions cross-validation produced on the PolNeAR training
split and how many of them had the right content and source. The estimate is that rate, smoothed
towards the rate of the coarser reading (kind and quoting only), so rare readings borrow strength
from common ones. Claims in the author's own voice get the rate at which such sentences carried no
annotated attribution.
"""

from __future__ import annotations

from functools import cache, lru_cache

from pipelines.text import lexicon
from pipelines.text.count_tables import Counts, CountTable
from pipelines.text.cues import verb_forms

TABLE_FILE = "confidence.tsv"
AUTHOR = "author"  # the reading of a claim in the author's own voice
# Pseudo-counts pulling a reading's rate towards its coarser reading's rate (and that towards the
# overall rate); 10 keeps a reading seen 10 times halfway between its own rate and its parent's.
SMOOTHING = 10.0
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which"})
ESTIMATE_CACHE_SIZE = 4096  # readings remembered with their estimate (a few hundred can be formed)



def cue_origin(lemma: str | None, form: str | None) -> str:
    """`say`, `speech`, `belief`, `intent`, `according` or `learned` (a cue outside the lexicon)."""
    if lemma is None:
        return "none"
    if lemma == "say":
        return "say"
    if lemma == "according to":
        return "according"
    if form is not None and form not in verb_forms() and lemma not in lexicon.table("reporting_verbs"):
        return "learned"
    return lexicon.table("reporting_verbs").get(lemma, ("speech",))[0]


def source_form(words: str | None) -> str:
    """`none`, `pronoun`, `name` (starts with a capital) or `description`."""
    if not words:
        return "none"
    if words.lower() in PRONOUNS:
        return "pronoun"
    return "name" if words[0].isupper() else "description"


def reading(kind: str, lemma: str | None, form: str | None, source_words: str | None, quoted: bool) -> str:
    """The key under which an attribution's accuracy is looked up."""
    return "|".join((kind, cue_origin(lemma, form), source_form(source_words), "quoted" if quoted else "plain"))


def coarse(key: str) -> str:
    """The parent reading: frame kind and quoting only."""
    parts = key.split("|")
    return f"{parts[0]}|{parts[-1]}" if len(parts) == 4 else key


TABLE = CountTable(TABLE_FILE, key_fields=1)


def counts() -> Counts:
    """The table in use: the shipped one, or one installed by `use` (cross-validation)."""
    return TABLE.counts()


def use(table: Counts | None) -> None:
    """Install `table` instead of the shipped one (None restores it); for cross-validation only."""
    TABLE.use(table)


@cache
def _rollups(key: int) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    parents: dict[str, list[int]] = {}
    total = [0, 0]
    for k, (right, n) in counts().items():
        if k == AUTHOR:
            continue
        p = parents.setdefault(coarse(k), [0, 0])
        p[0] += right
        p[1] += n
        total[0] += right
        total[1] += n
    return {k: (r, n) for k, (r, n) in parents.items()}, (total[0], total[1])


def estimate(key: str) -> float | None:
    """Smoothed share of attributions with this reading that were right; None without a table."""
    return _estimate(key, TABLE.generation)


@lru_cache(maxsize=ESTIMATE_CACHE_SIZE)
def _estimate(key: str, generation: int) -> float | None:
    """`estimate` for the table of one generation (remembered: every claim asks, and readings are few)."""
    table = counts()
    if not table:
        return None
    if key == AUTHOR:
        right, n = table.get(AUTHOR, (0, 0))
        return round(right / n, 3) if n else None
    parents, (t_right, t_n) = _rollups(TABLE.generation)
    overall = t_right / t_n if t_n else 0.5
    p_right, p_n = parents.get(coarse(key), (0, 0))
    parent = (p_right + SMOOTHING * overall) / (p_n + SMOOTHING)
    right, n = table.get(key, (0, 0))
    return round((right + SMOOTHING * parent) / (n + SMOOTHING), 3)
