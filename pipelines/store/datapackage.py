"""A Frictionless Data package descriptor (`datapackage.json`) generated from the table definitions in
`pipelines.schemas` (columns, keys, foreign keys) and the manifest (files, bytes, sha256)."""

from __future__ import annotations

from pipelines.docs.dictionary import columns
from pipelines.schemas import FOREIGN_KEYS, PRIMARY_KEYS, SCHEMAS

FRICTIONLESS_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BOOLEAN": "boolean", "DATE": "date",
                      "TIMESTAMP": "datetime", "VARCHAR[]": "array"}
def descriptor(manifest: dict) -> dict:
    """The data package for the tables listed in `manifest` (bytes and sha256 come from it)."""
    by_table = {e["table"]: e for e in manifest["tables"]}
    resources = []
    for table, schema in SCHEMAS.items():
        entry = by_table[table]
        fields = [{"name": c["name"], "type": FRICTIONLESS_TYPES.get(c["type"], "any"), "description": c["description"],
                   **({"constraints": {"required": True}} if not c["nullable"] else {})} for c in columns(table)]
        res_schema: dict = {"fields": fields}
        if table in PRIMARY_KEYS:
            res_schema["primaryKey"] = PRIMARY_KEYS[table]
        if table in FOREIGN_KEYS:
            res_schema["foreignKeys"] = [{"fields": f, "reference": {"resource": r, "fields": rf}}
                                         for f, r, rf in FOREIGN_KEYS[table]]
        resources.append({
            "name": table, "path": entry["file"], "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "bytes": entry["bytes"], "hash": f"sha256:{entry['sha256']}", "description": (schema.__doc__ or "").strip(),
            "schema": res_schema,
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
