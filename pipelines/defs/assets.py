"""Assets: ingest the seeds, analyse each partition of articles, commit to the lake, publish.

Each asset is a thin wrapper: the work happens in `pipelines.ingest`, `pipelines.batch` and
`pipelines.store`. Docstrings become the asset descriptions shown in the Dagster UI.

    ingest (all files, cheap)  ->  extract (per partition, code version = extractor version)
        -> checks (per staged chunk and partition)  ->  claims_lake (one commit = one snapshot,
        then the exports of that snapshot)  ->  article_pages
"""

import datetime as dt
import time

import dagster as dg
import polars as pl

from pipelines import batch, chunk_checks, faults
from pipelines.cli import progress as cli_progress
from pipelines.cluster import prewarm
from pipelines.defs.metadata import frame_metadata, markdown_table
from pipelines.defs.resources import ClaimsStore
from pipelines.ingest import incremental
from pipelines.schemas import ENTITY_ROWS, REJECTED, SCHEMAS, TABLES, frame
from pipelines.store import lake, mirror, parquet, publication, staging

EXTRACTED_TABLES = ("articles", "paragraphs", "sentences", "claims", "quotes", "sources", "entities", "mentions",
                    "time_expressions", "claim_entities")
PARTITIONS = dg.StaticPartitionsDefinition(lake.PARTITION_KEYS)
# the run tags of a run over a range of partitions (`automation.partition_tags`)
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
PREVIEW_COLUMNS = ("source_path", "bucket", "article_id", "kept", "file_size")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _describe(table: str) -> str:
    return TABLES[table].description


@dg.multi_asset(
    outs={
        "documents": dg.AssetOut(description="Every readable input file, decoded and normalised; one row per "
                                             "distinct text, with the partition (bucket) it falls in."),
        "ingest_errors": dg.AssetOut(description=_describe("ingest_errors")),
    },
    group_name="ingest",
)
def ingest(context: dg.AssetExecutionContext, store: ClaimsStore):
    """Read the files under the seeds folder that are new or changed, partition by partition; unreadable
    ones become ingest errors, the rest go on. Files whose size and modification time are unchanged
    are not read again, and partitions with no change keep their documents untouched."""
    faults.crash_point("step:ingest")
    if context.run.tags.get(RANGE_START):  # partitions to analyse: load the extraction core meanwhile
        prewarm.start()
    if publication.repair(store.paths):  # a build killed after its commit left exports/ behind the lake
        context.log.warning("exports/ was behind the lake's current snapshot (a build killed after its commit): brought up")
    root = store.paths.seeds
    if not root.is_dir():
        raise dg.Failure(f"seeds folder {root} does not exist: create it or set CLAIMS_SEEDS")
    found = incremental.ingest(root, store.paths.staging, lake.bucket_of)
    errors, index = found.errors, found.index
    kept = index.filter(pl.col("kept"))
    context.log.info(f"{kept.height} articles and {len(errors)} unreadable inputs or notices in {root}; "
                     f"{found.files_read} files read, partitions rewritten: {found.buckets_written or 'none'}")
    previous = _previous_errors(store) if errors else None
    now = _now()
    err = frame("ingest_errors", [{"source_path": e.source_path, "error": e.error, "message": e.message, "seen_at": now}
                                  for e in errors])
    if previous is not None and previous.height and err.height:  # an empty result has untyped columns
        # an error seen before keeps its first sighting, so unchanged input gives unchanged output
        err = (err.join(previous.select("source_path", "error", "message", pl.col("seen_at").alias("first")),
                        on=["source_path", "error", "message"], how="left")
               .with_columns(pl.coalesce("first", "seen_at").alias("seen_at")).drop("first"))
    for e in errors:
        context.log.warning(e.message)
    # the documents live in the staging folder per partition (`pipelines.ingest.incremental`): no value to store
    yield dg.Output(None, output_name="documents", metadata={
        **frame_metadata(kept.select(PREVIEW_COLUMNS)), "seeds": str(root), "files": index.height,
        "files_read": found.files_read, "partitions_rewritten": dg.MetadataValue.json(found.buckets_written)})
    yield dg.Output(err, output_name="ingest_errors", metadata=frame_metadata(err))


def _previous_errors(store: ClaimsStore) -> pl.DataFrame | None:
    """The ingest errors of the last ingest (staged by it), else of the lake: each keeps its first sighting."""
    staged = parquet.read(store.paths.staging / "ingest_errors.parquet")
    return staged if staged is not None else store.read_lake("SELECT * FROM ingest_errors")


def _plan(bucket: str, current: set[tuple[str, str]], published: set[tuple[str, str]], same_version: bool
          ) -> tuple[lake.BucketChange, set[str]] | None:
    """What one partition needs: (change with the articles to drop, ids to analyse), or None if nothing."""
    if same_version:
        new, gone = current - published, published - current
    else:  # another extractor made these rows: every article of the bucket is analysed again
        new, gone = current, published
    if (same_version and not new and not gone) or not (current or published):
        return None
    return lake.BucketChange(bucket, gone=sorted({a for a, _ in gone}), articles=len(current)), {a for a, _ in new}


@dg.multi_asset(
    specs=[dg.AssetSpec(t, deps=["documents"], description=_describe(t), group_name="extract",
                        code_version=batch.extractor_version(), partitions_def=PARTITIONS) for t in EXTRACTED_TABLES],
    partitions_def=PARTITIONS,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def extract(context: dg.AssetExecutionContext, store: ClaimsStore):
    """Segment the articles of the requested partitions and extract claims, quotes, sources, entities
    and time expressions, into this run's staging folder.

    Articles the lake already holds (same text, same path, same extractor version) are left alone;
    only new and changed ones are analysed, in parallel when there are many. Removed ones are
    marked for deletion in the commit.
    """
    faults.crash_point("step:extract")
    p = store.paths
    version = batch.extractor_version()
    keys = context.partition_keys
    folder = staging.run_dir(p.staging, context.run_id)
    index = incremental.read_index(p.staging)
    if index is None:
        raise dg.Failure("no ingest index in the staging folder: materialise `documents` first")
    index = index.filter(pl.col("kept") & pl.col("bucket").is_in(keys)).select("bucket", "article_id", "source_path")
    published, versions = _published(store)
    plans: dict[str, tuple[lake.BucketChange, dict[str, str]]] = {}
    for key in keys:
        rows = index.filter(pl.col("bucket") == key)
        current = dict(zip(rows["article_id"].to_list(), rows["source_path"].to_list(), strict=True))
        plan = _plan(key, set(current.items()), published.get(key, set()), versions.get(key) == version)
        if plan:
            plans[key] = (plan[0], {aid: current[aid] for aid in plan[1]})
    del index
    total = sum(len(ids) for _, ids in plans.values())

    def work():  # one partition's documents at a time, read as the pool asks for them
        for key, (_, ids) in plans.items():
            yield key, sorted(incremental.documents(p.staging, key, list(ids.values())), key=lambda d: d.article_id)

    def progress(done: int, n: int) -> None:
        context.log.info(f"analysed {done}/{n} articles")
        cli_progress.update(done, n)  # the CLI's bar with ETA; does nothing unless the CLI enabled it

    started = time.perf_counter()
    staged = batch.stage_buckets(work(), total, _now(), folder, progress=progress)
    for key, (change, _) in plans.items():
        change.files = staged.get(key, {})
        staging.write_plan(folder, change)
    stats = {"partitions": len(keys), "partitions_changed": len(plans), "analysed": total,
             "removed": sum(len(c.gone) for c, _ in plans.values()), "seconds_analyse": round(time.perf_counter() - started, 3),
             "extractor_version": version}
    context.log.info(f"{len(plans)} of {len(keys)} partitions changed; {total} articles analysed")
    _, rows, _ = chunk_checks.gather(folder)
    for table in EXTRACTED_TABLES:
        yield dg.MaterializeResult(asset_key=table, metadata={
            **(stats if table == "articles" else {"partitions_changed": len(plans)}),
            **_staged_metadata(folder, table, rows.get(table, 0))})


def _staged_metadata(folder, table: str, rows: int) -> dict:
    """Rows this run analysed into `table` (over its partitions) and a preview of the first of them."""
    files = staging.staged_files(folder, ENTITY_ROWS if table == "entities" else table)
    head = pl.read_parquet(files[0], n_rows=5) if files else frame(table)
    return {"rows_analysed": rows, "preview": dg.MetadataValue.md(markdown_table(head, max_rows=5))}


def _published(store: ClaimsStore) -> tuple[dict[str, set[tuple[str, str]]], dict[str, str]]:
    if not lake.exists(store.paths):
        return {}, {}
    return lake.published_state(store.paths)


@dg.asset(
    deps=[dg.AssetKey(t) for t in SCHEMAS],
    group_name="publish",
    kinds={"ducklake", "parquet"},
)
def claims_lake(context: dg.AssetExecutionContext, store: ClaimsStore) -> dg.MaterializeResult:
    """The lake (one commit per build, so one snapshot), and the publication of that snapshot in
    `exports/`: the Parquet exports (a folder per table, a file per part) with their manifest, staged
    before the commit and recorded by it, moved in after it, then the HTML pages and the manifest.
    Only changed parts and pages are written."""
    faults.crash_point("step:claims_lake")
    p = store.paths
    folder = staging.run_dir(p.staging, context.run_id)
    staging.clear_dead(p.staging)
    changes = staging.read_plans(folder)
    started = time.perf_counter()
    current = None if changes else _unchanged(p)
    snapshot = pub = None
    if current is None:
        con = lake.connect(p, read_only=False)
        try:
            errors = _changed_errors(con, p.staging / "ingest_errors.parquet", bool(changes))
            snapshot, pub = publication.commit(con, p, changes, errors, batch.extractor_version(),
                                               note={"run_id": context.run_id})
            if not staging.others_alive(p.staging, folder):
                lake.cleanup_orphans(con)  # data files of killed builds; no other build is writing now
            current = lake.current_snapshot(con)
        finally:
            con.close()
    committed = time.perf_counter()
    staging.remove(folder)
    pub = pub or publication.current(p)
    if pub is not None and not publication.in_step(p, pub):  # another publisher holds exports/: wait for it
        pub = publication.catch_up(p)
    if mirror.configured():  # a copy on object storage (CLAIMS_EXPORTS_URL)
        pub = publication.push(p) or pub
    manifest = pub.manifest if pub else {"tables": []}
    mode = "unchanged" if snapshot is None else "committed"
    context.log.info(f"lake {mode} at snapshot {current} ({p.catalog})")
    return dg.MaterializeResult(metadata={
        "catalog": p.catalog, "data_path": p.data_path,
        "exports": dg.MetadataValue.path(str(p.exports)),
        "snapshot_id": current, "mode": mode,
        "partitions_committed": dg.MetadataValue.json(sorted(c.bucket for c in changes)),
        "rows": dg.MetadataValue.json({e["table"]: e["rows"] for e in manifest["tables"]}),
        "dagster/row_count": sum(e["rows"] for e in manifest["tables"]),  # every table's rows in this snapshot
        "seconds_commit": round(committed - started, 3),
        "seconds_exports": round(time.perf_counter() - committed, 3),
    })


def _unchanged(p) -> int | None:
    """The lake's current snapshot when this build has nothing to commit: no partition changed (the
    caller knows), the ingest errors are the lake's, and the current publication is whole (every file
    with its sha256, pages of this code); else None. Reads only: a build with nothing changed never
    opens the lake for writing."""
    if not lake.exists(p):
        return None
    with lake.reading(p) as con:
        if _changed_errors(con, p.staging / "ingest_errors.parquet", False) is not None:
            return None
        return lake.current_snapshot(con) if publication.inspect(con, p, batch.extractor_version()).whole else None


def _changed_errors(con, staged, partitions_changed: bool):
    """The staged ingest errors when ingest_errors must be rewritten (they differ from the lake's, or
    a partition changes, which may change its articles over budget), else None."""
    if partitions_changed:
        return staged
    new = sorted(parquet.read(staged).iter_rows())
    old = sorted(con.execute(f"SELECT * FROM ingest_errors WHERE (source_path, error) NOT IN "
                             f"(SELECT (source_path, error) FROM {REJECTED})").fetchall())
    return None if old == new else staged


@dg.asset(deps=[claims_lake], group_name="publish", kinds={"html"})
def article_pages(context: dg.AssetExecutionContext, store: ClaimsStore) -> dg.MaterializeResult:
    """Annotated HTML view of every article (speakers named at their words, cues and hedges marked,
    sources, entities and years in a side panel), a page per source across articles, and the corpus
    dashboard (SVG charts, search box, sortable article list) as `index.html`, in `exports/html/`.
    Written with the publication `claims_lake` commits; this step makes sure `exports/` holds it whole."""
    faults.crash_point("step:article_pages")
    pub = publication.current(store.paths)
    if pub is not None and not publication.in_step(store.paths, pub):  # claims_lake's move did not finish
        pub = publication.catch_up(store.paths)
    counts = publication.page_counts(pub)
    context.log.info(f"pages: {counts}")
    return dg.MaterializeResult(metadata={**counts, "index": dg.MetadataValue.path(str(store.paths.exports / "html" / "index.html"))})
