"""Dagster resources: where the seeds, the lake and the staging folder are, and the Parquet IO manager.

Keep data-processing logic out of this module: it only locates and moves frames.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import PrivateAttr

from pipelines.settings import Paths
from pipelines.store import lake, parquet


class ClaimsStore(dg.ConfigurableResource):
    """The seeds folder read by ingest, the lake's catalog (a local file unless `catalog` names
    another) and data path, and the exports folder beside the catalog file."""

    seeds: str
    warehouse: str
    catalog: str | None = None
    data_path: str | None = None
    _reader: contextlib.ExitStack | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """A run (or a sensor's evaluation) reads the lake on one read-only connection
        (`lake.shared_reader`, opened at the first read), as a build run by the CLI does: a run the
        daemon launched opened one per read, each loading two extensions and the catalog."""
        self._reader = contextlib.ExitStack()
        self._reader.enter_context(lake.shared_reader(self.paths))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.seeds), Path(self.warehouse), self.catalog, self.data_path)

    def read_lake(self, sql: str) -> pl.DataFrame | None:
        """The result of `sql` on the latest snapshot, or None when there is no lake yet."""
        if not lake.exists(self.paths):
            return None
        with lake.reading(self.paths) as con:
            return lake.frame(con, sql)


def store_from(p: Paths) -> ClaimsStore:
    return ClaimsStore(seeds=str(p.seeds), warehouse=str(p.warehouse), catalog=p.catalog_url, data_path=p.data_url)


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores each unpartitioned asset's polars frame as `<staging>/<asset>.parquet`, written atomically."""

    staging_dir: str

    def _path(self, key: dg.AssetKey) -> Path:
        return Path(self.staging_dir) / f"{key.path[-1]}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame | None) -> None:
        if obj is None:
            return
        parquet.write_atomic(obj, self._path(context.asset_key))

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        return parquet.read(self._path(context.asset_key))
