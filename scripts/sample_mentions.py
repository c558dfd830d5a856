"""Draw mentions for hand-checking entity precision (a script, not a test): docs/QUALITY.md, "Entities and time".

    python scripts/sample_mentions.py OUT.txt --seed 3031

40 random articles (seeded) of ../shared/polnear_train/text and 40 of ../shared/bbc_sample/text;
in each corpus the 75 mentions with the smallest seeded hash of (file, start, end). A mention that
two code versions both produce is the same draw, so judgements carry over between versions and only
the mentions that changed need a new look. OUT lists each mention with its type, entity and context;
write the wrong ones' numbers down by hand and count.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPORA = ("polnear_train", "bbc_sample")
ARTICLES, MENTIONS, CONTEXT = 40, 75, 160


def sample(seed: int) -> list[tuple]:
    from pipelines.text.article import analyse
    from pipelines.text.normalise import article_id, normalise

    rng = random.Random(seed)
    rows = []
    for corpus in CORPORA:
        files = sorted((REPO.parent / "shared" / corpus / "text").glob("*.txt"))
        if not files:
            raise SystemExit(f"no articles in ../shared/{corpus}/text")
        pool = []
        for f in rng.sample(files, min(ARTICLES, len(files))):
            text = normalise(f.read_text(encoding="utf-8"))
            _, r = analyse(article_id(text), text)
            types = {e["entity_id"]: (e["entity_type"], e["canonical_name"]) for e in r["entities"]}
            for m in r["mentions"]:
                a, b = m["char_start"], m["char_end"]
                context = (text[max(0, a - CONTEXT):a] + "[[" + text[a:b] + "]]" + text[b:b + CONTEXT]).replace("\n", " / ")
                key = hashlib.sha256(f"{seed}:{f.name}:{a}:{b}".encode()).hexdigest()
                pool.append((key, corpus, f.name, a, m["surface"], *types[m["entity_id"]], m["mention_type"], context))
        rows += sorted(pool)[:MENTIONS]
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, required=True)
    args = ap.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        for k, (_, corpus, name, start, surface, etype, entity, mtype, context) in enumerate(sample(args.seed)):
            fh.write(f"#{k}\t{corpus}\t{name}\t{start}\n  {surface!r} -> {etype} {entity!r} ({mtype})\n  {context}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
