"""The data dictionary, generated from the table definitions (never written twice by hand)."""

from __future__ import annotations

from pipelines.schemas import TABLES


def columns(table: str) -> list[dict]:
    """name, type (DuckDB), nullable, description of every column of `table`."""
    return [{"name": c.name, "type": c.duckdb, "nullable": c.nullable, "description": c.description}
            for c in TABLES[table].columns]


def _keys(table: str) -> str:
    t = TABLES[table]
    parts = [f"key: {', '.join(t.key)}"] if t.key else []
    parts += [f"{', '.join(fk.columns)} → `{fk.table}`" for fk in t.foreign_keys]
    return f"*{'; '.join(parts)}*\n" if parts else ""


def markdown() -> str:
    """The dictionary as Markdown: one table per warehouse table."""
    parts = []
    for name, table in TABLES.items():
        parts.append(f"#### `{name}`\n{table.description}\n{_keys(name)}")
        parts.append("| column | type | null | meaning |\n|---|---|---|---|")
        for c in columns(name):
            parts.append(f"| {c['name']} | {c['type']} | {'yes' if c['nullable'] else ''} | {c['description']} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"
