"""CONTRACT.md (prose for people) and the table definitions (pipelines.schemas.TABLES) say the same."""

from __future__ import annotations

import re

from pipelines.schemas import TABLES
from pipelines.store.datapackage import table_schema
from tests.conftest import REPO

CONTRACT = (REPO / "CONTRACT.md").read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    """Heading (before any colon) -> text of each `## ` section."""
    parts = re.split(r"^## ", CONTRACT, flags=re.M)[1:]
    return {p.split("\n", 1)[0].split(":")[0]: p.split("\n", 1)[1] for p in parts}


def section_of(table: str) -> str:
    found = [body for head, body in sections().items() if re.search(rf"(?<![\w]){table}(?![\w])", head)]
    assert len(found) == 1, f"CONTRACT.md has no single section for {table}"
    return found[0]


def table_rows(body: str) -> list[tuple[list[str], str]]:
    """(column names, type cell) of each row of the Markdown table in a section."""
    out = []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and cells[0] not in ("column", "---"):
            out.append(([n.strip() for n in cells[0].split(",")], cells[1]))
    return out


def test_every_table_and_column_of_the_definitions_is_in_the_contract():
    for name, table in TABLES.items():
        body = section_of(name)
        for col in table.columns:
            assert re.search(rf"(?<![\w]){col.name}(?![\w])", body), f"{name}.{col.name} not in CONTRACT.md"


def test_the_contract_names_no_column_the_definitions_lack_and_agrees_on_types_keys_and_nulls():
    for name, table in TABLES.items():
        cols = {c.name: c for c in table.columns}
        for names, kind in table_rows(section_of(name)):
            for n in names:
                assert n in cols, f"CONTRACT.md lists {name}.{n}, which the definition lacks"
                words = [w.strip() for w in kind.split(",") if w.strip()]
                if not words:
                    continue
                assert words[0] == cols[n].duckdb, f"{name}.{n}: {words[0]} in CONTRACT.md, {cols[n].duckdb} in code"
                assert ("null" in words) == cols[n].nullable, f"{name}.{n}: nullability differs"
                if "key" in words:
                    assert table.key == (n,), f"{name}.{n} is the key in CONTRACT.md only"


def test_datapackage_keys_come_from_the_definitions():
    schema = table_schema(TABLES["claims"])
    assert schema["primaryKey"] == ["claim_id"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in schema["foreignKeys"]
    assert [f["name"] for f in schema["fields"]] == [c.name for c in TABLES["claims"].columns]
