"""Where things live: paths and the lake's catalog and data path, from environment variables with the
documented defaults. Nothing else belongs here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG_NAME = "claims.sqlite"


@dataclass(frozen=True)
class Paths:
    seeds: Path
    warehouse: Path  # the local catalog file (or, with CLAIMS_CATALOG set, the folder marker for exports)
    catalog_url: str | None = None  # a DuckLake metadata connection string (`postgres:dbname=…`), else local
    data_url: str | None = None  # where the lake's Parquet files go (`s3://bucket/claims/`), else local

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def catalog(self) -> str:
        """What follows `ducklake:` in ATTACH: a SQLite file by default (several processes may read
        while one commits), or the configured catalog."""
        return self.catalog_url or f"sqlite:{self.warehouse.as_posix()}"

    @property
    def data_path(self) -> str:
        return self.data_url or (self.warehouse_dir / "lake").as_posix() + "/"

    @property
    def exports(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def staging(self) -> Path:
        """Parquet written by the assets of a run before validation and commit; not for readers."""
        return self.warehouse_dir / ".tables"


def paths(seeds: str | os.PathLike | None = None, warehouse: str | os.PathLike | None = None) -> Paths:
    """Resolve the seeds folder (CLAIMS_SEEDS), the catalog file (CLAIMS_WAREHOUSE) and, optionally,
    another catalog (CLAIMS_CATALOG) and data path (CLAIMS_DATA_PATH)."""
    seeds = Path(seeds or os.environ.get("CLAIMS_SEEDS") or REPO_ROOT / "seeds")
    warehouse = Path(warehouse or os.environ.get("CLAIMS_WAREHOUSE") or REPO_ROOT / "warehouse" / DEFAULT_CATALOG_NAME)
    return Paths(seeds.resolve(), warehouse.resolve(), os.environ.get("CLAIMS_CATALOG") or None,
                 os.environ.get("CLAIMS_DATA_PATH") or None)
