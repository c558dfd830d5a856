"""The cluster's Dagster code location: one asset that materialises every partition into the lake.

Kept apart from `pipelines.definitions` (the embedded default) so the local build needs no server.
Everything it reaches comes from configuration: the lake's catalog and data path, the Dask
scheduler and the number of partitions (see deploy/cluster/ and the README's configuration table).

    dagster dev -m pipelines.cluster.definitions
"""

from pathlib import Path

import dagster as dg

from pipelines.cluster import build
from pipelines.cluster.engine import SCHEDULER_ENV
from pipelines.cluster.lakehouse import CATALOG_ENV, DATA_ENV, LakeConfig


class ClusterLake(dg.ConfigurableResource):
    """Where the articles come from, where the lake is, and which engine runs the partitions."""

    seeds: str
    catalog: str
    data_path: str
    scheduler: str = ""  # empty: local processes
    partitions: int = build.DEFAULT_PARTITIONS

    @property
    def lake(self) -> LakeConfig:
        return LakeConfig(self.catalog, self.data_path)


@dg.asset(group_name="cluster", kinds={"ducklake", "dask"})
def claims_lake(context: dg.AssetExecutionContext, cluster: ClusterLake) -> dg.MaterializeResult:
    """Every partition of the seeds analysed on the engine and committed to the shared lake,
    one snapshot per partition."""
    results = build.build(Path(cluster.seeds), cluster.lake, partitions=cluster.partitions,
                          scheduler=cluster.scheduler or None,
                          progress=lambda r: context.log.info(
                              f"partition {r['partition']}: {r['articles']} articles, snapshot {r['snapshot']}"))
    run = results.pop("_run")
    return dg.MaterializeResult(metadata={
        **run, "snapshots": dg.MetadataValue.json({k: v["snapshot"] for k, v in results.items()}),
        "rows": dg.MetadataValue.json({k: v["rows"] for k, v in results.items()}),
    })


def build_defs(resource_overrides: dict | None = None) -> dg.Definitions:
    """The code location; resources read the environment unless overridden."""
    resources = {"cluster": ClusterLake(
        seeds=dg.EnvVar("CLAIMS_SEEDS"), catalog=dg.EnvVar(CATALOG_ENV), data_path=dg.EnvVar(DATA_ENV),
        scheduler=dg.EnvVar(SCHEDULER_ENV))}
    resources.update(resource_overrides or {})
    return dg.Definitions(assets=[claims_lake], resources=resources,
                          jobs=[dg.define_asset_job("cluster_build", selection=[claims_lake])])


defs = build_defs()
