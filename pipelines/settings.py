"""Where things live: paths from environment variables with the documented defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    seeds: Path
    warehouse: Path  # the DuckDB file

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def exports(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def staging(self) -> Path:
        """Parquet written by the assets before validation; not for readers."""
        return self.warehouse_dir / ".tables"


def paths(seeds: str | os.PathLike | None = None, warehouse: str | os.PathLike | None = None) -> Paths:
    """Resolve the seeds folder (CLAIMS_SEEDS) and warehouse file (CLAIMS_WAREHOUSE)."""
    seeds = Path(seeds or os.environ.get("CLAIMS_SEEDS") or REPO_ROOT / "seeds")
    warehouse = Path(warehouse or os.environ.get("CLAIMS_WAREHOUSE") or REPO_ROOT / "warehouse" / "claims.duckdb")
    return Paths(seeds.resolve(), warehouse.resolve())
