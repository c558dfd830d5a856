"""The README's cookbook results and data dictionary are what the code produces today."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _docs_module():
    spec = importlib.util.spec_from_file_location("docs_script", REPO / "scripts" / "docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_cookbook_and_dictionary_match_the_code(tmp_path):
    docs = _docs_module()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    regenerated = docs.generated_readme(readme, docs.build_seed_warehouse(tmp_path))
    assert regenerated == readme, "README.md is out of date: run `make docs` and commit the result"


def test_cookbook_has_at_least_ten_questions():
    from pipelines.docs.cookbook import QUESTIONS

    assert len(QUESTIONS) >= 10


def test_cookbook_ignores_articles_the_user_added(tmp_path):
    from pipelines.__main__ import _connect  # the CLI's own way in, whatever the storage

    docs = _docs_module()
    user_seeds = tmp_path / "user-seeds"
    user_seeds.mkdir()
    for name in docs.SHIPPED_SEEDS:
        (user_seeds / name).write_bytes((REPO / "seeds" / name).read_bytes())
    (user_seeds / "mine.txt").write_text("My own story\n\n“It rained all day,” said Pat Doyle.\n", encoding="utf-8")
    con = _connect(str(docs.build_seed_warehouse(tmp_path / "wh", seeds=user_seeds)))
    try:
        paths = [r[0] for r in con.execute("SELECT source_path FROM articles ORDER BY 1").fetchall()]
    finally:
        con.close()
    assert paths == sorted(docs.SHIPPED_SEEDS)
