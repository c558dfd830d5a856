"""A Frictionless Data package descriptor (`datapackage.json`) generated from the table definitions in
`pipelines.schemas.TABLES` (columns, keys, foreign keys) and the manifest (files, bytes, sha256).
Each table is a multipart resource: `path` lists its part files; `parts` gives each file's bytes,
sha256 and rows (the whole table has no single hash)."""

from __future__ import annotations

from pipelines.schemas import TABLES, Table

FRICTIONLESS_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "DOUBLE": "number",
                      "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "datetime", "VARCHAR[]": "array"}


def table_schema(table: Table) -> dict:
    """The Frictionless table schema of one table: fields, primary key, foreign keys."""
    fields = [{"name": c.name, "type": FRICTIONLESS_TYPES.get(c.duckdb, "any"), "description": c.description,
               **({"constraints": {"required": True}} if not c.nullable else {})} for c in table.columns]
    out: dict = {"fields": fields}
    if table.key:
        out["primaryKey"] = list(table.key)
    if table.foreign_keys:
        out["foreignKeys"] = [{"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.references)}}
                              for fk in table.foreign_keys]
    return out


def descriptor(manifest: dict) -> dict:
    """The data package for the tables listed in `manifest` (bytes and sha256 come from it)."""
    by_table = {e["table"]: e for e in manifest["tables"]}
    resources = []
    for name, table in TABLES.items():
        entry = by_table[name]
        resources.append({  # a multipart resource: one Parquet file per part, each with its own sha256
            "name": name, "path": [p["file"] for p in entry["parts"]], "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "bytes": entry["bytes"], "description": table.description,
            "parts": [{"path": p["file"], "bytes": p["bytes"], "hash": f"sha256:{p['sha256']}", "rows": p["rows"]}
                      for p in entry["parts"]],
            "schema": table_schema(table),
        })
    return {
        "name": "article-claims",
        "title": "Article claims warehouse",
        "description": "Who claims what, on whose authority, how sure, about whom and when, with character offsets "
                       "into each article's normalised text.",
        "created": manifest["generated_at"],
        "version": f"snapshot-{manifest.get('snapshot_id')}",
        "resources": resources,
    }
