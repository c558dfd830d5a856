"""Learn the extractor's data-driven parameters from the annotated PolNeAR training split.

    python scripts/train.py            # what `make train` runs: writes the files below
    python scripts/train.py --check    # exit 1 if the committed files differ from a fresh training

Writes, each with its provenance in a header:
- `pipelines/text/lexicons/cue_weights.tsv`: the weights of a logistic regression telling whether a lower-case
  word outside quotation marks heads a gold cue, from its context (`cue_model.py`; needs scikit-learn, the
  `train` extra);
- `pipelines/text/lexicons/confidence_weights.tsv`: a logistic regression telling how likely an attribution
  is right from its features (`confidence.py`), fitted on the attributions of cross-validation folds so no
  article scores its own parameters.

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

from pipelines.text import confidence, cue_model  # noqa: E402
from pipelines.text.cues import verb_forms  # noqa: E402
from pipelines.text.frame_words import section  # noqa: E402
from pipelines.text.quotes import find_quotes  # noqa: E402
from pipelines.text.segment import segment  # noqa: E402
from pipelines.text.tokens import tokenize  # noqa: E402

LEXICONS = REPO / "pipelines" / "text" / "lexicons"
CUES_FILE = LEXICONS / cue_model.WEIGHTS_FILE
CONFIDENCE_FILE = LEXICONS / confidence.WEIGHTS_FILE
FOLDS = 5
# The cue model's fitting (docs/QUALITY.md has the cross-validation behind each value):
MIN_FEATURE_COUNT = 3  # rarer features get no weight: they carry no estimate and bloat the file
REGULARISATION = 0.5  # liblinear's C (inverse L2 strength)
# Never scored at reading time, whatever the training text says (`the` headed a few gold cues: slips of
# annotation); the frame rules read these words. Requiring two gold cues per form instead cost 0.001 F1.
FUNCTION_WORDS = (section("determiners") | section("boundary") | section("pronoun_subjects") | section("relative_subjects")
                  | section("approximators") | section("quantifier_subjects"))  # `have more to say`: no cue
MIN_WEIGHT = 0.1  # smaller weights are left out of the shipped file: 26,000 of 94,000 kept, as good on the folds
# The confidence model's fitting: features of attributions seen at least twice, liblinear's default C
# (0.3 and 3 measured no better on the folds), weights of at least 0.01 shipped.
CONFIDENCE_MIN_COUNT = 2
CONFIDENCE_REGULARISATION = 1.0
CONFIDENCE_MIN_WEIGHT = 0.01
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


def article_examples(g: dict) -> list[tuple[list[str], bool, str]]:
    """(features, is a gold cue head, form) of every lower-case word outside quotation marks of one
    annotated article, as `cue_model.features` describes it at reading time."""
    text = g["text"]
    layout = segment(text)
    quotes = find_quotes(text, layout.paragraph_spans())
    spans = sorted((q.open_mark, (q.close_mark or q.end) + 1) for q in quotes)
    heads = _cue_heads(text, g["rels"])
    out = []
    for s in layout.sentences:
        toks = tokenize(text, s.start, s.end)
        inside = [any(a <= t.start < b for a, b in spans) for t in toks]
        quoted = True in inside
        for k, t in enumerate(toks):
            if t.is_word and t.text[0].islower() and not inside[k]:
                out.append((cue_model.features(toks, k, quoted), t.start in heads, t.lower))
    return out


def fit_logistic(examples: list[tuple[list[str], bool]], min_count: int, c: float, min_weight: float
                 ) -> tuple[float, dict[str, float]]:
    """(bias, weights) of a logistic regression over the examples' features (those seen `min_count` times),
    weights rounded and those below `min_weight` left out. Deterministic (liblinear's primal solver,
    examples in order)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    seen = Counter(f for feats, _ in examples for f in feats)
    index = {f: i for i, f in enumerate(sorted(f for f, n in seen.items() if n >= min_count))}
    cols = [[index[f] for f in feats if f in index] for feats, _ in examples]
    indptr = np.cumsum([0] + [len(c) for c in cols]).astype(np.int32)
    x = csr_matrix((np.ones(indptr[-1]), np.array([i for c in cols for i in c], dtype=np.int32), indptr),
                   shape=(len(cols), len(index)))
    y = np.array([label for _, label in examples])
    fit = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0).fit(x, y)
    names = sorted(index, key=index.get)
    weights = {f: round(float(w), 4) for f, w in zip(names, fit.coef_[0], strict=True) if abs(w) >= min_weight}
    return round(float(fit.intercept_[0]), 4), weights


def fit_cue_model(examples: list[tuple[list[str], bool, str]]) -> cue_model.CueModel:
    """The cue model's regression; the forms kept for scoring are those outside the lexicon that scored
    as a cue at least once here."""
    bias, weights = fit_logistic([(feats, cue) for feats, cue, _ in examples], MIN_FEATURE_COUNT, REGULARISATION,
                                 MIN_WEIGHT)
    model = cue_model.CueModel(bias, weights, frozenset())
    heads = Counter(form for _, cue, form in examples if cue)
    never = set(verb_forms()) | FUNCTION_WORDS
    forms = {form for feats, _, form in examples if heads[form] and form not in never
             and not form.endswith("ly") and model.probability(feats) >= cue_model.MIN_PROBABILITY}
    return cue_model.CueModel(model.bias, weights, frozenset(forms))


def fit_confidence(examples: list[tuple[list[str], bool]], author: tuple[int, int]) -> confidence.ConfidenceModel:
    """The confidence regression over labelled attributions (features, right?); `author`: (right, seen)
    author-voice claims."""
    bias, weights = fit_logistic(examples, CONFIDENCE_MIN_COUNT, CONFIDENCE_REGULARISATION, CONFIDENCE_MIN_WEIGHT)
    return confidence.ConfidenceModel(bias, weights, author[0] / author[1] if author[1] else None)


def write_cues(model: cue_model.CueModel, path: Path, n_articles: int) -> str:
    lines = [
        "# Learned cue model (cue_model.py): logistic regression weights over context features of lower-case",
        "# words outside quotation marks (`weight` rows; `bias`), and the forms outside the lexicon worth scoring",
        "# (`form` rows: they scored as a cue at least once in training). Written by `make train`",
        f"# (scripts/train.py, scikit-learn liblinear, C={REGULARISATION}, features seen >= {MIN_FEATURE_COUNT} times,",
        f"# |weight| >= {MIN_WEIGHT}) from ../shared/polnear_train ({n_articles} articles, PolNeAR, Newell et al. 2018).",
        "# Feature names hold single words of the training text (a form and its neighbours), never sentences.",
    ]
    out = "\n".join(lines + model.dump()) + "\n"
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
    examples = [e for g in articles for e in article_examples(g)]
    after = write_cues(fit_cue_model(examples), CUES_FILE, len(articles))
    print(f"{CUES_FILE.relative_to(REPO)}: {len(after.splitlines())} lines from {len(articles)} articles")
    sc = cv.scorer()
    # Every attribution is kept (an empty model keeps all), so the model written does not depend on the
    # one it replaces (running `make train` twice gives the same file).
    confidence.use(confidence.ConfidenceModel())
    try:
        preds, authors = cv.fold_predictions(sc, gold, sorted(gold), FOLDS)
    finally:
        confidence.use(None)
    write_confidence(cv.confidence_model(gold, preds, authors), CONFIDENCE_FILE, len(articles))
    changed = [p.name for p in before if before[p] != p.read_text(encoding="utf-8")]
    if a.check and changed:
        print(f"not reproduced: {', '.join(changed)} differ from the committed files", file=sys.stderr)
        return 1
    return 0


def write_confidence(model: confidence.ConfidenceModel, path: Path, n_articles: int) -> None:
    lines = [
        "# Confidence of attributions (confidence.py): logistic regression weights over the features of an",
        "# attribution (`weight` rows; `bias`), and the rate of author-voice claims holding no attribution",
        f"# (`author`). Written by `make train` (scripts/train.py): {FOLDS}-fold cross-validation over",
        f"# ../shared/polnear_train ({n_articles} articles, PolNeAR, Newell et al. 2018), each fold analysed with",
        "# the cue model fitted on the other folds; an attribution is right when its content matched a gold",
        "# attribution (score_attributions.py rule) with the right source. scikit-learn liblinear,",
        f"# C={CONFIDENCE_REGULARISATION}, features seen >= {CONFIDENCE_MIN_COUNT} times, |weight| >= {CONFIDENCE_MIN_WEIGHT}.",
        "# Feature names hold single words (a cue, the first word of a source or content), never sentences.",
    ]
    path.write_text("\n".join(lines + model.dump()) + "\n", encoding="utf-8")
    print(f"{path.relative_to(REPO)}: {len(model.weights)} weights")


if __name__ == "__main__":
    raise SystemExit(main())
