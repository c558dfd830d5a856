"""Dagster resources: where the seeds and the warehouse are, and the Parquet IO manager.

Keep data-processing logic out of this module: it only locates and moves frames.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.settings import Paths
from pipelines.store import parquet


class ClaimsStore(dg.ConfigurableResource):
    """The seeds folder read by ingest and the DuckDB file the warehouse asset writes."""

    seeds: str
    warehouse: str

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.seeds), Path(self.warehouse))

    def previous_tables(self, names) -> dict[str, pl.DataFrame]:
        """The last published (validated) version of each table, for incremental reuse."""
        out = {}
        for name in names:
            df = parquet.read(self.paths.exports / f"{name}.parquet")
            if df is not None:
                out[name] = df
        return out


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores each asset's polars frame as `<staging>/<asset>.parquet`, written atomically."""

    staging_dir: str

    def _path(self, key: dg.AssetKey) -> Path:
        return Path(self.staging_dir) / f"{key.path[-1]}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame | Path | None) -> None:
        if obj is None:
            return
        if isinstance(obj, Path):  # an unchanged, already published table: link it instead of rewriting
            parquet.link_atomic(obj, self._path(context.asset_key))
            return
        parquet.write_atomic(obj, self._path(context.asset_key))

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        return pl.read_parquet(self._path(context.asset_key))
