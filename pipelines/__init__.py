"""Article claims warehouse: ingest articles, extract who claims what, build a DuckDB warehouse."""

__version__ = "0.1.0"
