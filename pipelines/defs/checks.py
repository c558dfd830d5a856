"""Asset checks: one factory turning each pandera schema into a blocking check, plus cross-table checks.

A failing check blocks the warehouse asset, so only validated tables are ever published. Failure
cases go into the check's metadata. The cross-table rules live in `pipelines.validate` so they can
be tested without Dagster.
"""


import dagster as dg
import pandera.polars as pa
import polars as pl

from pipelines import validate
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import ClaimsStore
from pipelines.schemas import SCHEMAS
from pipelines.store import parquet

CROSS_TABLE_CHECK = "cross_table_integrity"


def schema_check_name(table: str) -> str:
    return f"{table}_matches_contract"


def asset_check_from_schema(table: str, schema: type[pa.DataFrameModel]) -> dg.AssetChecksDefinition:
    """A blocking check that validates the collected frame of `table` against `schema`."""

    @dg.asset_check(asset=dg.AssetKey(table), name=schema_check_name(table), blocking=True,
                    description=f"{table} has exactly the columns, types and value rules of CONTRACT.md")
    def _check(store: ClaimsStore) -> dg.AssetCheckResult:
        staged = store.paths.staging / f"{table}.parquet"
        if parquet.same_file(staged, store.paths.exports / f"{table}.parquet"):
            # the very file that was validated and published before: nothing new to check
            return dg.AssetCheckResult(passed=True, metadata={"unchanged_since_validated": True})
        frame = pl.read_parquet(staged)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            return dg.AssetCheckResult(
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"n_failures": cases.height,
                          "failure_cases": dg.MetadataValue.md(markdown_table(cases, max_rows=20))},
            )
        return dg.AssetCheckResult(passed=True, metadata={"rows": frame.height})

    return _check


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(CROSS_TABLE_CHECK, asset=dg.AssetKey(t), blocking=True) for t in validate.SPAN_TABLES],
    description="Spans reproduce articles.text, foreign keys resolve, ids are unique.",
)
def cross_table_checks(store: ClaimsStore):
    """Run every cross-table rule over the staged Parquet with DuckDB; report per table."""
    staged = {t: store.paths.staging / f"{t}.parquet" for t in SCHEMAS}
    problems = validate.cross_table_problems(staged, _new_articles(store, staged["articles"]))
    for table in validate.SPAN_TABLES:
        found = [p for p in problems if p.table == table]
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(table),
            check_name=CROSS_TABLE_CHECK,
            passed=not found,
            metadata={"problems": dg.MetadataValue.json([{"rule": p.rule, "count": p.count, "example": p.example}
                                                        for p in found])},
        )


def _new_articles(store: ClaimsStore, staged_articles) -> set[str] | None:
    """Articles not in the last validated publication (None: check everything)."""
    from pipelines.batch import extractor_version

    exports = store.paths.exports
    version = exports / "extractor_version"
    published = exports / "articles.parquet"
    if not published.exists() or not version.exists() or version.read_text().strip() != extractor_version():
        return None
    before = set(pl.read_parquet(published, columns=["article_id"])["article_id"].to_list())
    now = set(pl.read_parquet(staged_articles, columns=["article_id"])["article_id"].to_list())
    return now - before


def build_checks() -> list:
    return [asset_check_from_schema(t, s) for t, s in SCHEMAS.items()] + [cross_table_checks]
