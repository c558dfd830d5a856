"""A Frictionless Data package descriptor (`datapackage.json`) generated from the pandera schemas."""

from __future__ import annotations

from pipelines.docs.dictionary import columns
from pipelines.schemas import SCHEMAS

FRICTIONLESS_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BOOLEAN": "boolean", "DATE": "date",
                      "TIMESTAMP": "datetime", "VARCHAR[]": "array"}
PRIMARY_KEYS = {"articles": ["article_id"], "sentences": ["sentence_id"], "claims": ["claim_id"], "quotes": ["quote_id"],
                "sources": ["source_id"], "entities": ["entity_id"], "mentions": ["mention_id"],
                "paragraphs": ["article_id", "paragraph_no"]}
FOREIGN_KEYS = {
    "paragraphs": [("article_id", "articles", "article_id")],
    "sentences": [("article_id", "articles", "article_id")],
    "claims": [("sentence_id", "sentences", "sentence_id"), ("source_id", "sources", "source_id")],
    "quotes": [("sentence_id", "sentences", "sentence_id"), ("claim_id", "claims", "claim_id")],
    "sources": [("article_id", "articles", "article_id"), ("entity_id", "entities", "entity_id")],
    "mentions": [("sentence_id", "sentences", "sentence_id"), ("entity_id", "entities", "entity_id")],
    "claim_entities": [("claim_id", "claims", "claim_id"), ("entity_id", "entities", "entity_id")],
}


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
        "resources": resources,
    }
