"""Cross-validated attribution scores over the annotated PolNeAR splits (train + dev).

    python scripts/cv.py                 # 5 folds over ../shared/polnear_train + polnear_dev
    python scripts/cv.py --folds 10 --predictions preds.jsonl

Each article is read through the real ingest path and analysed by `text/article.py::analyse`; the
attributed claims are scored with the shared scorer (`../shared/tools/score_attributions.py`), fold by
fold. Learned parameters (`make train`: the cue model, and the confidence model that decides which
attributions are stated) are fitted on the other folds before a fold is scored, so the figures are for
text the parameters never saw. Prints mean and spread per measure, one JSON line last.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from pipelines.ingest.documents import Document  # noqa: E402
from pipelines.ingest.read import read_document  # noqa: E402
from pipelines.text import confidence, cue_model  # noqa: E402
from pipelines.text.article import analyse  # noqa: E402
from pipelines.text.extract import MIN_ATTRIBUTION_CONFIDENCE  # noqa: E402

sys.path.insert(0, str(REPO / "scripts"))
import train  # noqa: E402

CACHE = REPO / ".cache" / "cv_offsets"
MEASURES = ("full_f1", "content_p", "content_r", "content_f1", "source_acc", "cue_acc")


def scorer():
    """The shared scorer module (load_gold, offset_map, score)."""
    spec = importlib.util.spec_from_file_location("score_attributions", SHARED / "tools" / "score_attributions.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fold_of(name: str, k: int) -> int:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % k


def gold_sets(splits: list[str]) -> dict[str, dict]:
    sc = scorer()
    gold: dict[str, dict] = {}
    for split in splits:
        for name, g in sc.load_gold(SHARED / split).items():
            g["dir"] = SHARED / split
            gold[name] = g
    return gold


def predict(name: str, g: dict, sc) -> tuple[list[dict], dict]:
    """Scorer-format predictions for one gold article, and the raw rows (for error analysis)."""
    doc = read_document(g["dir"] / "text" / f"{name}.txt", g["dir"] / "text")
    assert isinstance(doc, Document), doc
    _, rows = analyse(doc.article_id, doc.text, title=doc.title, title_from_metadata=doc.title_from_metadata,
                      published_on=doc.published_on)
    back = _cached_map(sc, name, doc.text, g["text"])
    preds = []
    for c in rows["claims"]:
        if c["source_id"] is None or c["is_display"]:
            continue
        preds.append({
            "content": [(back(c["char_start"]), back(c["char_end"]))],
            "source": [(back(c["source_start"]), back(c["source_end"]))] if c["source_start"] is not None else None,
            "cue": [(back(c["cue_start"]), back(c["cue_end"]))] if c["cue_start"] is not None else None,
            "confidence": c.get("confidence"),
            "features": c["_features"],
            "reading": c["_features"][0][2:],  # the first feature, `r=<reading>`
        })
    authors = [(back(c["char_start"]), back(c["char_end"])) for c in rows["claims"]
               if c["source_id"] is None and not c["is_display"]]
    return preds, authors


def chars(frags) -> set[int]:
    """The character offsets covered by a list of (start, end) fragments (as the scorer counts them)."""
    return {i for a, b in frags or [] for i in range(a, b)}


def label(g: dict, preds: list[dict]) -> list[bool | None]:
    """Is each prediction right (content matched one-to-one to a gold relation, source right)? None
    when it matched a gold relation without a source, which the scorer counts neither way.
    The scorer's own matching, kept per prediction."""
    pairs = []
    for i, p in enumerate(preds):
        pc = chars(p["content"])
        for j, r in enumerate(g["rels"]):
            gc = chars(r["content"])
            ov = len(pc & gc)
            if gc and ov >= 0.3 * len(gc):
                pairs.append((ov, i, j))
    used_p, used_g, right, neutral = set(), set(), set(), set()
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        r = g["rels"][j]
        if not r["has_source"]:
            neutral.add(i)
        elif chars(preds[i]["source"]) & chars(r["source"]):
            right.add(i)
    return [None if i in neutral else i in right for i in range(len(preds))]


def author_right(g: dict, span: tuple[int, int]) -> bool:
    """An author-voice claim is right when no sourced gold attribution has >= 30 % of its content in it."""
    a, b = span
    for r in g["rels"]:
        gc = chars(r["content"])
        if r["has_source"] and gc and len(gc & set(range(a, b))) >= 0.3 * len(gc):
            return False
    return True


def confidence_model(gold: dict, preds: dict, authors: dict) -> confidence.ConfidenceModel:
    """The confidence regression fitted on the given articles' labelled predictions."""
    examples, author = [], [0, 0]
    for name in sorted(preds):
        for p, ok in zip(preds[name], label(gold[name], preds[name]), strict=True):
            if ok is not None:  # matched an unsourced gold relation: no evidence either way, as the scorer counts it
                examples.append((p["features"], ok))
        for span in authors[name]:
            author[0] += author_right(gold[name], span)
            author[1] += 1
    return train.fit_confidence(examples, (author[0], author[1]))


def fold_predictions(sc, gold: dict, names: list[str], folds: int, learned: bool = True) -> tuple[dict, dict]:
    """Predictions (and author-voice spans) for `names`, each fold analysed with parameters learned
    from the other folds of `gold`."""
    preds, authors = {}, {}
    examples = {n: train.article_examples(gold[n]) for n in sorted(gold)} if learned else {}
    for k in range(folds):
        if learned:
            cue_model.use(train.fit_cue_model([e for n in sorted(gold) if fold_of(n, folds) != k for e in examples[n]]))
        for name in (n for n in names if fold_of(n, folds) == k):
            preds[name], authors[name] = predict(name, gold[name], sc)
        print(f"fold {k + 1}/{folds} analysed", file=sys.stderr)
    cue_model.use(None)
    return preds, authors


def filter_and_calibrate(gold: dict, preds: dict, authors: dict, folds: int) -> None:
    """What `extract` does with the shipped model, with a model fitted on the other folds' predictions
    (all of them, before any is dropped): drop the attributions less likely to be right than
    `extract.MIN_ATTRIBUTION_CONFIDENCE` (continuations are kept, as there) and give the others their
    confidence."""
    models = {k: confidence_model(gold, {n: preds[n] for n in preds if fold_of(n, folds) != k}, authors)
              for k in range(folds)}
    try:
        for k, model in models.items():
            confidence.use(model)
            for name in (n for n in preds if fold_of(n, folds) == k):
                for p in preds[name]:
                    p["confidence"] = confidence.estimate(tuple(p["features"]))
                preds[name] = [p for p in preds[name] if p["reading"].startswith("continuation|")
                               or p["confidence"] >= MIN_ATTRIBUTION_CONFIDENCE]
    finally:
        confidence.use(None)


def _cached_map(sc, name: str, text: str, gold_text: str):
    """`sc.offset_map`, kept on disk: difflib over a whole article is the slow part of a run."""
    if text == gold_text:
        return lambda i: i
    key = hashlib.sha1((text + "\0" + gold_text).encode()).hexdigest()[:20]
    path = CACHE / f"{key}.json"
    if path.exists():
        table = json.loads(path.read_text())
    else:
        f = sc.offset_map(text, gold_text)
        table = [f(i) for i in range(len(text) + 1)]
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(table))
    return lambda i: table[min(max(i, 0), len(text))]


def summarise(per_fold: list[dict]) -> dict:
    out = {}
    for m in MEASURES:
        vals = [f[m] for f in per_fold]
        out[m] = {"mean": round(statistics.mean(vals), 3), "sd": round(statistics.pstdev(vals), 3),
                  "min": round(min(vals), 3), "max": round(max(vals), 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--splits", nargs="+", default=["polnear_train", "polnear_dev"])
    ap.add_argument("--learned", action=argparse.BooleanOptionalAction, default=True,
                    help="fit learned parameters (cue model, confidence) on the other folds (default), or use "
                         "the shipped ones: `--no-learned --splits polnear_dev` scores what ships on held-out text")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (quick looks)")
    ap.add_argument("--predictions", type=Path, help="write every article's predictions as JSON lines")
    a = ap.parse_args(argv)
    sc = scorer()
    gold = gold_sets(a.splits)
    names = sorted(gold)[: a.limit or None]
    if a.learned:  # every attribution kept, then filtered by a model fitted on the other folds
        confidence.use(confidence.ConfidenceModel())
        try:
            preds, authors = fold_predictions(sc, gold, names, a.folds)
        finally:
            confidence.use(None)
        filter_and_calibrate(gold, preds, authors, a.folds)
    else:
        preds, authors = fold_predictions(sc, gold, names, a.folds, learned=False)
    if a.predictions:
        with a.predictions.open("w") as fh:
            for name in names:
                fh.write(json.dumps({"article": name, "attributions": preds[name]}) + "\n")
    per_fold = []
    for k in range(a.folds):
        fold = {n: gold[n] for n in names if fold_of(n, a.folds) == k}
        per_fold.append(sc.score(fold, {n: preds[n] for n in fold}))
    total = sc.score({n: gold[n] for n in names}, preds)
    result = {"folds": a.folds, "articles": len(names), "per_measure": summarise(per_fold),
              "pooled": {m: total[m] for m in MEASURES}, "calibration": total["calibration"]}
    for m, v in result["per_measure"].items():
        print(f"{m:11s} {v['mean']:.3f} ± {v['sd']:.3f}  (folds {v['min']:.3f}–{v['max']:.3f})")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
