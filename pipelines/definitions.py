"""The Dagster code location, assembled explicitly by `build_defs` so tests and the CLI can swap pieces."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import assets
from pipelines.defs.automation import all_assets_job, daily_refresh, seeds_changed
from pipelines.defs.checks import build_checks
from pipelines.defs.resources import ClaimsStore, ParquetIOManager
from pipelines.settings import paths as resolve_paths


def build_defs(*, seeds: str | None = None, warehouse: str | None = None,
               resource_overrides: dict | None = None) -> dg.Definitions:
    """Definitions for the seeds folder and warehouse file given (default: environment, then repo)."""
    p = resolve_paths(seeds, warehouse)
    resources = {
        "store": ClaimsStore(seeds=str(p.seeds), warehouse=str(p.warehouse)),
        "io_manager": ParquetIOManager(staging_dir=str(p.staging)),
    }
    resources.update(resource_overrides or {})
    return dg.Definitions(
        assets=[assets.ingest, assets.extract, assets.claims_warehouse, assets.article_pages],
        asset_checks=build_checks(),
        jobs=[all_assets_job],
        schedules=[daily_refresh],
        sensors=[seeds_changed],
        resources=resources,
    )


defs = build_defs()
