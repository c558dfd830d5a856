"""Learn the extractor's data-driven parameters from the annotated PolNeAR training split.

    python scripts/train.py            # what `make train` runs: writes the files below
    python scripts/train.py --check    # exit 1 if the committed files differ from a fresh training

Writes, each with its provenance in a header:
- `pipelines/text/lexicons/learned_cues.tsv`: per word form, following-word class and subject slot, how often the
  form heads a gold cue outside quotation marks, and how often it occurs there (`cue_model.py`);
- `pipelines/text/lexicons/confidence.tsv`: observed accuracy of attributions per reading
  (`confidence.py`), measured on cross-validation folds so no article scores its own parameters.

Deterministic: articles are read in name order, counts are exact, output rows are sorted.
The research text itself is never written out, only counts.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from pipelines.text import confidence  # noqa: E402
from pipelines.text.cue_model import OTHER_SUBJECTS, after_class, before_class  # noqa: E402
from pipelines.text.frame_words import section  # noqa: E402
from pipelines.text.quotes import find_quotes  # noqa: E402
from pipelines.text.segment import segment  # noqa: E402
from pipelines.text.tokens import tokenize  # noqa: E402

LEXICONS = REPO / "pipelines" / "text" / "lexicons"
CUES_FILE = LEXICONS / "learned_cues.tsv"
CONFIDENCE_FILE = LEXICONS / "confidence.tsv"
FOLDS = 5
MIN_ROW_OCCURRENCES = 3  # rarer (form, context) pairs are not written: they carry no estimate
_AUX = frozenset({"been", "being", "be", "n’t", "n't", "not"})


def _cue_heads(text: str, rels: list[dict]) -> set[int]:
    """Start offsets of the head word of every gold cue (auxiliaries, negations and adverbs skipped:
    the head of `didn't respond` is `respond`)."""
    heads = set()
    skip = section("skip") | _AUX
    for r in rels:
        if not r["cue"]:
            continue
        a, b = r["cue"][0]
        for m in re.finditer(r"[A-Za-z][\w’'-]*", text[a:b]):
            if m.group().lower() not in skip and not m.group().lower().endswith(("n’t", "n't")):
                heads.add(a + m.start())
                break
    return heads


def mine_cues(articles: list[dict]) -> Counter:
    """(form, following word, subject slot, kind) -> count over lower-case words outside quotation marks;
    kind `c` counts gold cue heads, `n` occurrences."""
    counts: Counter = Counter()
    for g in articles:
        text = g["text"]
        layout = segment(text)
        quotes = find_quotes(text, layout.paragraph_spans())
        inside = sorted((q.open_mark, (q.close_mark or q.end) + 1) for q in quotes)
        heads = _cue_heads(text, g["rels"])
        for s in layout.sentences:
            toks = tokenize(text, s.start, s.end)
            for k, t in enumerate(toks):
                if not t.is_word or not t.text[0].islower() or any(a <= t.start < b for a, b in inside):
                    continue
                key = (t.lower, after_class(toks, k), before_class(toks, k))
                counts[key + ("n",)] += 1
                if t.start in heads:
                    counts[key + ("c",)] += 1
    return counts


def cue_table(counts: Counter) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Rows of the shipped table, for forms that head a gold cue at least once: every context seen
    MIN_ROW_OCCURRENCES times (also those never a cue, which lower the form's rate), the rarer subject
    contexts of a (form, following word) pair summed into one OTHER_SUBJECTS row."""
    cue_forms = {f for (f, _, _, kind), c in counts.items() if kind == "c" and c}
    table: dict[tuple[str, str, str], list[int]] = {}
    for (f, after, before, kind), n in counts.items():
        if kind != "n" or f not in cue_forms:
            continue
        key = (f, after, before) if n >= MIN_ROW_OCCURRENCES else (f, after, OTHER_SUBJECTS)
        cell = table.setdefault(key, [0, 0])
        cell[0] += counts[(f, after, before, "c")]
        cell[1] += n
    return {k: (c, n) for k, (c, n) in table.items()}


def write_cues(table: dict, path: Path, n_articles: int) -> str:
    lines = [
        "# Learned cue counts: form <TAB> following-word class <TAB> subject-slot class <TAB> times the head of a",
        "# gold cue <TAB> occurrences, lower-case words outside quotation marks (cue_model.py). Written by",
        "# `make train` (scripts/train.py) from ../shared/polnear_train",
        f"# ({n_articles} articles, PolNeAR, Newell et al. 2018); counts only, no text. Forms never a cue are left",
        f"# out; subject contexts seen fewer than {MIN_ROW_OCCURRENCES} times are summed in a `{OTHER_SUBJECTS}` row.",
    ]
    lines += [f"{f}\t{after}\t{before}\t{c}\t{n}" for (f, after, before), (c, n) in sorted(table.items())]
    out = "\n".join(lines) + "\n"
    path.write_text(out, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    import cv

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed parameters are not reproduced")
    a = ap.parse_args(argv)
    gold = cv.gold_sets(["polnear_train"])
    articles = [gold[n] for n in sorted(gold)]
    before = {p: p.read_text(encoding="utf-8") if p.exists() else "" for p in (CUES_FILE, CONFIDENCE_FILE)}
    after = write_cues(cue_table(mine_cues(articles)), CUES_FILE, len(articles))
    print(f"{CUES_FILE.relative_to(REPO)}: {len(after.splitlines())} lines from {len(articles)} articles")
    sc = cv.scorer()
    # Every reading is counted, none left out by the shipped table's threshold, so the table written
    # does not depend on the one it replaces (running `make train` twice gives the same file).
    confidence.use({})
    try:
        preds, authors = cv.fold_predictions(sc, gold, sorted(gold), FOLDS)
    finally:
        confidence.use(None)
    write_confidence(cv.confidence_table(gold, preds, authors), CONFIDENCE_FILE, len(articles))
    changed = [p.name for p in before if before[p] != p.read_text(encoding="utf-8")]
    if a.check and changed:
        print(f"not reproduced: {', '.join(changed)} differ from the committed files", file=sys.stderr)
        return 1
    return 0


def write_confidence(table: dict, path: Path, n_articles: int) -> None:
    lines = [
        "# Attribution accuracy per reading (confidence.py): reading <TAB> right <TAB> predicted.",
        f"# Written by `make train` (scripts/train.py): {FOLDS}-fold cross-validation over ../shared/polnear_train",
        f"# ({n_articles} articles, PolNeAR, Newell et al. 2018); each fold analysed with cue counts learned from",
        "# the other folds; right = content matched to a gold attribution (score_attributions.py rule) with the",
        "# right source. `author`: author-voice claims holding no sourced gold attribution. Counts only, no text.",
    ]
    lines += [f"{k}\t{r}\t{n}" for k, (r, n) in sorted(table.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.relative_to(REPO)}: {len(table)} readings")


if __name__ == "__main__":
    raise SystemExit(main())
