"""Regenerate the generated parts of README.md: the SQL cookbook (run on the shipped example article,
not on whatever else is in seeds/) and the data dictionary.

    python scripts/docs.py          (make docs)
    python scripts/docs.py --check  exit 1 if README.md is out of date
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DICT_START = "<!-- dictionary:start (generated from pipelines/schemas.py by `make docs`) -->"
DICT_END = "<!-- dictionary:end -->"
SHIPPED_SEEDS = ("000_80bca2bc6d16808f.txt",)  # the example the repository ships; users add their own beside it


def build_seed_warehouse(folder: Path, seeds: Path = REPO / "seeds") -> Path:
    """Build the cookbook's warehouse in `folder` from a copy of the shipped example seeds only."""
    import shutil

    from pipelines.defs.run import materialise

    fixture = folder / "seeds"
    fixture.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED_SEEDS:
        shutil.copy2(seeds / name, fixture / name)
    wh = folder / "claims.sqlite"
    result = materialise(fixture, wh)
    if not result.success:
        raise SystemExit("could not build the seed warehouse")
    return wh


def replace_between(text: str, start: str, end: str, block: str) -> str:
    a, b = text.index(start), text.index(end) + len(end)
    return text[:a] + block + text[b:]


def generated_readme(readme: str, warehouse: Path) -> str:
    from pipelines.docs import cookbook, dictionary
    from pipelines.store import lake

    con = lake.open_warehouse(warehouse)
    try:
        readme = replace_between(readme, cookbook.START, cookbook.END, cookbook.render(con))
    finally:
        con.close()
    return replace_between(readme, DICT_START, DICT_END, f"{DICT_START}\n{dictionary.markdown()}{DICT_END}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check that README.md is up to date")
    args = ap.parse_args()
    readme_path = REPO / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        new = generated_readme(readme, build_seed_warehouse(Path(tmp)))
    if args.check:
        if new != readme:
            print("README.md is out of date: run `make docs`", file=sys.stderr)
            return 1
        print("README.md is up to date")
        return 0
    readme_path.write_text(new, encoding="utf-8")
    print("README.md regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
