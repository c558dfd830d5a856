"""The data dictionary, generated from the pandera schemas (never written twice by hand)."""

from __future__ import annotations

from pipelines.schemas import DUCKDB_TYPES, SCHEMAS


def columns(table: str) -> list[dict]:
    """name, type (DuckDB), nullable, description of every column of `table`."""
    out = []
    for name, col in SCHEMAS[table].to_schema().columns.items():
        dtype = str(col.dtype.type)
        out.append({"name": name, "type": DUCKDB_TYPES.get(dtype, dtype), "nullable": bool(col.nullable),
                    "description": col.description or ""})
    return out


def markdown() -> str:
    """The dictionary as Markdown: one table per warehouse table."""
    parts = []
    for table, schema in SCHEMAS.items():
        parts.append(f"#### `{table}`\n{(schema.__doc__ or '').strip()}\n")
        parts.append("| column | type | null | meaning |\n|---|---|---|---|")
        for c in columns(table):
            parts.append(f"| {c['name']} | {c['type']} | {'yes' if c['nullable'] else ''} | {c['description']} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"
