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
