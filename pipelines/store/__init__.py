"""Storage: Parquet files, the DuckDB warehouse built from them, exports and their manifest."""
