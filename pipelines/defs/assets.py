"""Assets: ingest the seeds, analyse the articles, and publish the warehouse.

Each asset is a thin wrapper: the work happens in `pipelines.ingest`, `pipelines.batch` and
`pipelines.store`. Docstrings become the asset descriptions shown in the Dagster UI.
"""


import datetime as dt
import time

import dagster as dg
import polars as pl

from pipelines import batch
from pipelines.cli import progress as cli_progress
from pipelines.defs.metadata import frame_metadata
from pipelines.defs.resources import ClaimsStore
from pipelines.ingest.read import read_seeds
from pipelines.schemas import SCHEMAS, SORT_KEYS, frame
from pipelines.store import exports, parquet, warehouse

EXTRACTED_TABLES = ("articles", "paragraphs", "sentences", "claims", "quotes", "sources", "entities", "mentions",
                    "time_expressions", "claim_entities")
WAREHOUSE_POOL = "warehouse"
REJECTED_FILE = "rejected_articles.parquet"  # ingest_errors rows written by extract for articles over budget
DOCUMENT_COLUMNS = {"article_id": pl.Utf8, "source_path": pl.Utf8, "title": pl.Utf8, "published_on": pl.Date,
                    "text": pl.Utf8, "title_from_metadata": pl.Boolean, "file_size": pl.Int64, "file_mtime_ns": pl.Int64,
                    "notices": pl.List(pl.Struct({"kind": pl.Utf8, "message": pl.Utf8}))}
DOCUMENT_FIELDS = ("article_id", "source_path", "text", "title", "published_on", "title_from_metadata", "notices")


def _cached_documents(store: ClaimsStore) -> dict:
    """The documents of the previous run keyed by path, with the file stamp they were read from."""
    from pipelines.ingest.documents import Document

    previous = parquet.read(store.paths.staging / "documents.parquet")
    if previous is None or not {"file_mtime_ns", "notices"} <= set(previous.columns):
        return {}
    out = {}
    for row in previous.iter_rows(named=True):
        if row["file_size"] is not None:
            out[row["source_path"]] = ((row["file_size"], row["file_mtime_ns"]),
                                       Document(**{k: row[k] for k in DOCUMENT_FIELDS}))
    return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _describe(table: str) -> str:
    return (SCHEMAS[table].__doc__ or table).strip()


@dg.multi_asset(
    outs={
        "documents": dg.AssetOut(description="Every readable input file, decoded and normalised; one row per distinct text."),
        "ingest_errors": dg.AssetOut(description=_describe("ingest_errors")),
    },
    group_name="ingest",
)
def ingest(context: dg.AssetExecutionContext, store: ClaimsStore):
    """Read every file under the seeds folder; unreadable ones become ingest errors, the rest go on."""
    root = store.paths.seeds
    if not root.is_dir():
        raise dg.Failure(f"seeds folder {root} does not exist: create it or set CLAIMS_SEEDS")
    cached = _cached_documents(store)
    docs, errors, stamps = read_seeds(root, cached)
    context.log.info(f"{len(docs)} articles and {len(errors)} unreadable inputs in {root}")
    unchanged = len(docs) == len(cached) and all(
        d.source_path in cached and cached[d.source_path][0] == stamps.get(d.source_path) for d in docs)
    documents = store.paths.staging / "documents.parquet" if unchanged else pl.DataFrame(
        [{"article_id": d.article_id, "source_path": d.source_path, "title": d.title, "published_on": d.published_on,
          "text": d.text, "title_from_metadata": d.title_from_metadata,
          "file_size": stamps.get(d.source_path, (None, None))[0],
          "file_mtime_ns": stamps.get(d.source_path, (None, None))[1],
          "notices": [{"kind": k, "message": m} for k, m in d.notices]} for d in docs],
        schema=DOCUMENT_COLUMNS,
    ).sort("article_id")
    previous = store.previous_tables(["ingest_errors"]).get("ingest_errors")
    now = _now()
    err = frame("ingest_errors", [{"source_path": e.source_path, "error": e.error, "message": e.message, "seen_at": now}
                                  for e in errors])
    if previous is not None and err.height:
        # an error seen before keeps its first sighting, so unchanged input gives unchanged output
        err = (err.join(previous.select("source_path", "error", "message", pl.col("seen_at").alias("first")),
                        on=["source_path", "error", "message"], how="left")
               .with_columns(pl.coalesce("first", "seen_at").alias("seen_at")).drop("first"))
    for e in errors:
        context.log.warning(e.message)
    yield dg.Output(documents, output_name="documents",
                    metadata={"dagster/row_count": len(docs), "seeds": str(root), "files_unchanged": unchanged})
    yield dg.Output(err, output_name="ingest_errors", metadata=frame_metadata(err))


@dg.multi_asset(
    outs={t: dg.AssetOut(description=_describe(t)) for t in EXTRACTED_TABLES},
    ins={"documents": dg.AssetIn()},
    group_name="extract",
)
def extract(context: dg.AssetExecutionContext, store: ClaimsStore, documents: pl.DataFrame):
    """Segment every article and extract claims, quotes, sources, entities and time expressions.

    Articles already in the published warehouse with the same text are carried over untouched;
    new and changed ones are analysed, in parallel when there are many.
    """
    from pipelines.ingest.documents import Document

    version = batch.extractor_version()
    exported = store.paths.exports
    if _same_as_published(documents, exported):
        # nothing to do: every table is the published one, byte for byte
        context.log.info(f"all {documents.height} articles unchanged since the last publication")
        for table in EXTRACTED_TABLES:
            md = {"dagster/row_count": pl.scan_parquet(exported / f"{table}.parquet").select(pl.len()).collect().item()}
            if table == "articles":
                md.update({"articles": documents.height, "analysed": 0, "reused": documents.height,
                           "extractor_version": version})
            yield dg.Output(exported / f"{table}.parquet", output_name=table, metadata=md)
        parquet.write_atomic(frame("ingest_errors"), store.paths.staging / REJECTED_FILE)
        return

    docs = [Document(**{k: row[k] for k in DOCUMENT_FIELDS}) for row in documents.iter_rows(named=True)]
    previous = store.previous_tables(EXTRACTED_TABLES)
    version_file = exported / "extractor_version"
    if not version_file.exists() or version_file.read_text().strip() != version:
        previous = {}  # rows from another extractor version are not reused

    def progress(done: int, total: int) -> None:
        context.log.info(f"analysed {done}/{total} articles")
        cli_progress.update(done, total)  # the CLI's bar with ETA; does nothing unless the CLI enabled it

    frames, stats = batch.build_tables(docs, previous, _now(), progress=progress)
    # articles left out by the per-article budget guard: rows for ingest_errors, joined in at publication
    parquet.write_atomic(frames.pop(batch.REJECTED), store.paths.staging / REJECTED_FILE)
    for row in parquet.read(store.paths.staging / REJECTED_FILE).iter_rows(named=True):
        context.log.warning(row["message"])
    context.log.info(f"{stats['analysed']} articles analysed, {stats['reused']} unchanged and reused "
                     f"({stats['seconds_analyse']}s analysis)")
    for table in EXTRACTED_TABLES:
        md = frame_metadata(frames[table])
        if table == "articles":
            md.update({**stats, "extractor_version": version})
        yield dg.Output(frames[table], output_name=table, metadata=md)


def _same_as_published(documents: pl.DataFrame, exports_dir) -> bool:
    """Are these exactly the articles (ids and paths) of the last publication by this extractor?"""
    if _published_articles(exports_dir) is None or not all(
            (exports_dir / f"{t}.parquet").exists() for t in EXTRACTED_TABLES):
        return False
    published = pl.read_parquet(exports_dir / "articles.parquet", columns=["article_id", "source_path"])
    return published.sort("article_id").equals(documents.select("article_id", "source_path").sort("article_id"))


def _manifest_hashes(exports_dir) -> dict[str, str]:
    import json

    try:
        return {e["table"]: e["sha256"] for e in json.loads((exports_dir / "manifest.json").read_text())["tables"]}
    except (OSError, ValueError, KeyError):
        return {}


def _with_rejected(staging, exports_dir):
    """The staged ingest_errors plus the rows of articles the guard left out (too_slow, too_big),
    each keeping the time it was first seen, as one file to publish."""
    rejected = parquet.read(staging / REJECTED_FILE)
    if rejected is None or rejected.is_empty():
        return staging / "ingest_errors.parquet"
    published = parquet.read(exports_dir / "ingest_errors.parquet")
    if published is not None:
        rejected = (rejected.join(published.select("source_path", "error", "message", pl.col("seen_at").alias("first")),
                                  on=["source_path", "error", "message"], how="left")
                    .with_columns(pl.coalesce("first", "seen_at").alias("seen_at")).drop("first"))
    combined = pl.concat([pl.read_parquet(staging / "ingest_errors.parquet"), rejected.select(frame("ingest_errors").columns)])
    out = staging / "ingest_errors_with_rejected.parquet"
    parquet.write_atomic(frame("ingest_errors", combined.sort(SORT_KEYS["ingest_errors"]).to_dicts()), out)
    return out


def _published_articles(exports_dir) -> set[str] | None:
    """Article ids of the last publication made by this extractor version (None if there is none)."""
    path = exports_dir / "articles.parquet"
    version = exports_dir / "extractor_version"
    if not path.exists() or not version.exists() or version.read_text().strip() != batch.extractor_version():
        return None
    return set(pl.read_parquet(path, columns=["article_id"])["article_id"].to_list())


@dg.asset(
    deps=[dg.AssetKey(t) for t in SCHEMAS],
    group_name="publish",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
)
def claims_warehouse(context: dg.AssetExecutionContext, store: ClaimsStore) -> dg.MaterializeResult:
    """The DuckDB warehouse and the Parquet exports with their manifest, built from validated tables.

    Exports are published first (each file replaced atomically, the manifest last), then the
    DuckDB file is built from them in one transaction and swapped in atomically.
    """
    p = store.paths
    staged = {t: p.staging / f"{t}.parquet" for t in SCHEMAS}
    staged["ingest_errors"] = _with_rejected(p.staging, p.exports)
    started = time.perf_counter()
    before = _published_articles(p.exports)
    before_hashes = _manifest_hashes(p.exports)
    manifest = exports.publish(staged, p.exports, extra={"extractor_version": batch.extractor_version() + "\n"})
    published = {t: p.exports / f"{t}.parquet" for t in SCHEMAS}
    hashes = {e["table"]: e["sha256"] for e in manifest["tables"]}
    exported = time.perf_counter()
    built_from = warehouse.built_from(p.warehouse)
    if built_from == hashes:
        mode = "unchanged"
    elif built_from and before is not None and built_from == before_hashes:
        # the warehouse holds the previous publication: replace only the rows that changed
        now_ids = _published_articles(p.exports) or set()
        warehouse.update(published, p.warehouse, hashes, now_ids - before, before - now_ids)
        mode = "updated"
    else:
        warehouse.build(published, p.warehouse, hashes)
        mode = "rebuilt"
    built = time.perf_counter()
    rows = {e["table"]: e["rows"] for e in manifest["tables"]}
    context.log.info(f"warehouse {mode} at {p.warehouse}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(p.warehouse)),
        "exports": dg.MetadataValue.path(str(p.exports)),
        "rows": dg.MetadataValue.json(rows),
        "bytes": p.warehouse.stat().st_size,
        "mode": mode,
        "seconds_exports": round(exported - started, 3),
        "seconds_duckdb": round(built - exported, 3),
    })


@dg.asset(deps=[claims_warehouse], group_name="publish", kinds={"html"})
def article_pages(context: dg.AssetExecutionContext, store: ClaimsStore) -> dg.MaterializeResult:
    """Annotated HTML view of every article (speakers named at their words, cues and hedges marked,
    sources, entities and years in a side panel), a page per source across articles, and the corpus
    dashboard (SVG charts, search box, sortable article list) as `index.html`, in `exports/html/`."""
    from pipelines.report.publish import write_pages

    counts = write_pages(store.paths.exports, batch.extractor_version())
    context.log.info(f"pages: {counts}")
    return dg.MaterializeResult(metadata={**counts, "index": dg.MetadataValue.path(str(store.paths.exports / "html" / "index.html"))})
