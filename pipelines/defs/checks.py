"""Asset checks: one blocking contract check per table definition (all run in one step), plus the
cross-table check.

They judge what this run staged, before the commit: a failing check blocks `claims_lake`, so only
valid rows ever reach the lake. The contract (pandera model, spans) is checked on each chunk where
it is made (`pipelines.chunk_checks`, in the worker processes) and the check gathers those results;
the cross-table rules (`pipelines.validate`) run per staged partition in DuckDB. Failure cases go
into the check's metadata.
"""


import dagster as dg
import polars as pl

from pipelines import chunk_checks, faults, validate
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import ClaimsStore
from pipelines.schemas import TABLES, Table
from pipelines.store import parquet, staging

CROSS_TABLE_CHECK = "cross_table_integrity"


def schema_check_name(table: str) -> str:
    return f"{table}_matches_contract"


def _staged_ingest_errors(folder) -> list[chunk_checks.Finding]:
    """The contract over this run's ingest errors (one small frame, written by ingest)."""
    staged = parquet.read(folder.parent / "ingest_errors.parquet")
    return chunk_checks.schema_findings("ingest_errors", staged) if staged is not None else []


def _failed(findings: list[chunk_checks.Finding], **key) -> dg.AssetCheckResult:
    cases = [{"rule": f.rule, "rows": f.count, "example": c} for f in findings for c in f.cases[:3]]
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.ERROR, **key,
        metadata={"n_failures": sum(f.count for f in findings),
                  "failure_cases": dg.MetadataValue.md(markdown_table(pl.DataFrame(cases), max_rows=20))})


def _spec(table: Table) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(schema_check_name(table.name), asset=dg.AssetKey(table.name), blocking=True,
                             description=f"{table.name} has exactly the columns, types and value rules of CONTRACT.md"
                                         + (", and its spans reproduce the article text" if table.spans else ""))


def _contract_result(table: Table, folder, gathered, staged: int) -> dg.AssetCheckResult:
    """Every chunk of `table` staged in this run met the contract (pandera model and spans), as found
    where the chunk was made (`pipelines.chunk_checks`)."""
    checked, rows, findings = gathered
    key = {"asset_key": dg.AssetKey(table.name), "check_name": schema_check_name(table.name)}
    if checked != staged:  # a chunk without its check result must not reach the lake unchecked
        return _failed([chunk_checks.Finding(table.name, "every staged chunk was checked", staged - checked, [])], **key)
    mine = [f for f in findings if f.table == table.name]
    if table.name == "ingest_errors":
        mine += _staged_ingest_errors(folder)
    if mine:
        return _failed(mine, **key)
    return dg.AssetCheckResult(passed=True, metadata={"rows_checked": rows.get(table.name, 0), "chunks": checked}, **key)


# One step for every table's contract check (the checks stay one per table, blocking): eleven steps
# cost a daemon-launched run of one article 0.5-1 s of step overhead (events written to the instance's
# SQLite), and each gathered every chunk's findings again.
@dg.multi_asset_check(specs=[_spec(t) for t in TABLES.values()], can_subset=True,
                      description="Each table has exactly the columns, types and value rules of CONTRACT.md.")
def contract_checks(context: dg.AssetCheckExecutionContext, store: ClaimsStore):
    """Gather what the contract checks found where each chunk was made; report per table."""
    folder = staging.run_dir(store.paths.staging, context.run.run_id)
    gathered = chunk_checks.gather(folder)
    staged = chunk_checks.chunks_staged(folder)
    selected = {k.name for k in context.selected_asset_check_keys}  # a build with nothing changed: ingest_errors only
    for table in TABLES.values():
        if schema_check_name(table.name) in selected:
            yield _contract_result(table, folder, gathered, staged)


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(CROSS_TABLE_CHECK, asset=dg.AssetKey(t), blocking=True) for t in validate.SPAN_TABLES],
    description="Keys are unique, foreign keys resolve, sentences lie inside their paragraph and mentions inside "
                "their sentence (over each partition staged in this run).",
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
    return [contract_checks, cross_table_checks]
