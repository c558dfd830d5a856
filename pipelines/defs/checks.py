"""Asset checks: one factory turning each pandera schema into a blocking check, plus cross-table checks.

They validate what this run staged (each chunk file, each partition), before the commit: a failing
check blocks `claims_lake`, so only validated rows ever reach the lake. Failure cases go into the
check's metadata. The cross-table rules live in `pipelines.validate` so they can be tested without
Dagster.
"""


import dagster as dg
import pandera.polars as pa
import polars as pl

from pipelines import faults, validate
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import ClaimsStore
from pipelines.schemas import ENTITY_ROWS, SCHEMAS
from pipelines.store import staging

CROSS_TABLE_CHECK = "cross_table_integrity"


def schema_check_name(table: str) -> str:
    return f"{table}_matches_contract"


def _frames(folder, table: str):
    """Each staged frame of `table` in this run, one chunk at a time (entities folded per chunk)."""
    if table == "entities":
        for path in staging.staged_files(folder, ENTITY_ROWS):
            yield (pl.read_parquet(path).drop("article_id").group_by("entity_id", maintain_order=True)
                   .agg(pl.col("canonical_name").min(), pl.col("entity_type").min(), pl.col("acronym").min())
                   .select(SCHEMAS["entities"].to_schema().columns.keys()))
        return
    files = staging.staged_files(folder, table)
    if table == "ingest_errors":
        files = [folder.parent / "ingest_errors.parquet"]
    for path in files:
        if path.exists():
            yield pl.read_parquet(path)


def asset_check_from_schema(table: str, schema: type[pa.DataFrameModel]) -> dg.AssetChecksDefinition:
    """A blocking check that validates every collected frame of `table` staged in this run."""

    @dg.asset_check(asset=dg.AssetKey(table), name=schema_check_name(table), blocking=True,
                    description=f"{table} has exactly the columns, types and value rules of CONTRACT.md")
    def _check(context: dg.AssetCheckExecutionContext, store: ClaimsStore) -> dg.AssetCheckResult:
        folder = staging.run_dir(store.paths.staging, context.run.run_id)
        rows = 0
        for df in _frames(folder, table):
            rows += df.height
            try:
                schema.validate(df, lazy=True)
            except pa.errors.SchemaErrors as exc:
                cases = exc.failure_cases
                return dg.AssetCheckResult(
                    passed=False, severity=dg.AssetCheckSeverity.ERROR,
                    metadata={"n_failures": cases.height,
                              "failure_cases": dg.MetadataValue.md(markdown_table(cases, max_rows=20))})
        return dg.AssetCheckResult(passed=True, metadata={"rows_checked": rows})

    return _check


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(CROSS_TABLE_CHECK, asset=dg.AssetKey(t), blocking=True) for t in validate.SPAN_TABLES],
    description="Spans reproduce articles.text, foreign keys resolve, ids are unique (per staged partition).",
)
def cross_table_checks(context: dg.AssetCheckExecutionContext, store: ClaimsStore):
    """Run every cross-table rule over each partition staged in this run, with DuckDB; report per table."""
    faults.crash_point("step:checks")
    folder = staging.run_dir(store.paths.staging, context.run.run_id)
    problems: list[validate.Problem] = []
    for bucket in staging.buckets(folder):
        files = {p.name: sorted(p.glob("*.parquet")) for p in bucket.iterdir() if p.is_dir()}
        problems += validate.cross_table_problems(files)
    for table in validate.SPAN_TABLES:
        found = [p for p in problems if p.table == table]
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(table),
            check_name=CROSS_TABLE_CHECK,
            passed=not found,
            metadata={"problems": dg.MetadataValue.json([{"rule": p.rule, "count": p.count, "example": p.example}
                                                        for p in found])},
        )


def build_checks() -> list:
    return [asset_check_from_schema(t, s) for t, s in SCHEMAS.items()] + [cross_table_checks]
