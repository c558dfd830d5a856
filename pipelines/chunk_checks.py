"""The contract checked where a chunk's frames are made: pandera per table, and spans against the text.

`batch.stage_chunk` calls `check_frames` on the frames it is about to stage (in the worker process,
so the checks run in parallel and nothing is read back from disk) and stages the result beside them
as `_checks/<chunk>.json`. When a chunk breaks a rule, each of its articles is checked alone
(`breaking_articles`) and those whose own rows break it are left out as ingest errors (`batch.leave_out`):
one article that trips an extraction bug does not hold up the batch. The blocking Dagster asset checks
(`pipelines.defs.checks`) gather what is left, so a rule broken by a chunk as a whole still stops the commit.

Span rules run here rather than in SQL: Python slices a string by character offset in constant
time, while SQL `substr`/`length` walk the UTF-8 text from its start for every row (measured on 579
articles: 1.1 s in DuckDB, ~0.05 s here). Rules across tables (keys, foreign keys, containment)
stay in `pipelines.validate`. No Dagster here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl
from pandera.backends.polars.register import register_polars_backends

from pipelines.schemas import ENTITY_ROWS, REJECTED, SCHEMAS, TABLES

# pandera registers its polars backends on a process's first validation (0.05 s: it imports its
# data-synthesis strategies, and with them hypothesis when installed); done when this module is
# loaded, with the definitions, it is part of a process's start-up and not of its first build
register_polars_backends()

CHECKS_DIR = "_checks"
MAX_CASES = 20  # failure cases kept per table and chunk: enough to see the pattern


@dataclass
class Finding:
    """One broken rule in one table of a chunk: how many rows break it and a few of them."""

    table: str
    rule: str
    count: int
    cases: list[str]


def _contract_frames(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames as the contract's tables: entity rows folded per entity, rejected articles as
    ingest_errors rows."""
    out = {t: df for t, df in frames.items() if t in SCHEMAS}
    if ENTITY_ROWS in frames:
        from pipelines.batch import fold_entities

        out["entities"] = fold_entities(frames[ENTITY_ROWS])
    if REJECTED in frames:
        out["ingest_errors"] = frames[REJECTED].drop("article_id")
    return out


def schema_findings(table: str, df: pl.DataFrame) -> list[Finding]:
    """What the pandera model of `table` finds wrong with `df` (nothing: an empty list)."""
    try:
        SCHEMAS[table].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        rules = cases["check"].cast(pl.Utf8).unique(maintain_order=True).to_list() if "check" in cases.columns else []
        return [Finding(table, "matches the contract (" + ", ".join(map(str, rules[:5])) + ")", cases.height,
                        [str(r) for r in cases.head(MAX_CASES).iter_rows()])]
    return []


def span_findings(table: str, df: pl.DataFrame, texts: dict[str, str]) -> list[Finding]:
    """Spans of `table` that fall outside their article's text or do not reproduce it."""
    out = []
    for span in TABLES[table].spans:
        cols = [c for c in ("article_id", span.start, span.end, span.text) if c]
        bad = []
        for row in df.select(cols).iter_rows():
            aid, start, end = row[0], row[1], row[2]
            if start is None and end is None:
                continue
            text = texts.get(aid)
            if text is None or start is None or end is None or not 0 <= start < end <= len(text) \
                    or (span.text and text[start:end] != row[3]):
                bad.append(str(row)[:200])
        if bad:
            out.append(Finding(table, span.rule, len(bad), bad[:MAX_CASES]))
    return out


def check_frames(frames: dict[str, pl.DataFrame]) -> dict:
    """Rows per contract table and every finding, for the frames of one chunk (JSON-ready)."""
    tables = _contract_frames(frames)
    texts = dict(frames["articles"].select("article_id", "text").iter_rows()) if "articles" in frames else {}
    findings: list[Finding] = []
    for table, df in tables.items():
        findings += schema_findings(table, df)
        findings += span_findings(table, df, texts)
    return {"rows": {t: df.height for t, df in tables.items()}, "findings": [asdict(f) for f in findings]}


def article_of(df: pl.DataFrame) -> pl.Expr | None:
    """The article each row of a staged frame belongs to: its article id, or for `claim_entities` the
    article part of its claim id (`<article>:c…`); None for a frame of no article."""
    if "article_id" in df.columns:
        return pl.col("article_id")
    if "claim_id" in df.columns:
        return pl.col("claim_id").str.split(":").list.first()
    return None


def _of_article(df: pl.DataFrame, article_id: str) -> pl.DataFrame:
    """The rows of one article."""
    article = article_of(df)
    return df.clear() if article is None else df.filter(article == article_id)


def breaking_articles(frames: dict[str, pl.DataFrame]) -> dict[str, list[str]]:
    """article id -> the rules its rows break, each article checked alone (called only for a chunk
    whose frames broke a rule: one extraction bug on one odd article must not hold up the batch).
    A rule no article breaks alone (one over the whole chunk) stays with the chunk."""
    out: dict[str, list[str]] = {}
    for article_id in frames["articles"]["article_id"].to_list() if "articles" in frames else []:
        alone = {t: _of_article(df, article_id) for t, df in frames.items() if t != REJECTED}
        found = check_frames(alone)["findings"]
        if found:
            out[article_id] = sorted({f"{f['table']}: {f['rule']}" for f in found})
    return out


def write(result: dict, folder: Path, name: str) -> Path:
    path = folder / CHECKS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(result, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def gather(run_folder: Path) -> tuple[int, dict[str, int], list[Finding]]:
    """(chunks checked, rows per table, findings) over every chunk staged in a run."""
    rows: dict[str, int] = {}
    findings: list[Finding] = []
    paths = sorted(run_folder.glob(f"bucket=*/{CHECKS_DIR}/*.json"))
    for path in paths:
        result = json.loads(path.read_text(encoding="utf-8"))
        for table, n in result["rows"].items():
            rows[table] = rows.get(table, 0) + n
        findings += [Finding(**f) for f in result["findings"]]
    return len(paths), rows, findings


def chunks_staged(run_folder: Path) -> int:
    """Chunks staged in a run (each has its articles file, or its rejected file, or both)."""
    names = {(p.parent.parent.name, p.stem) for t in ("articles", REJECTED)
             for p in run_folder.glob(f"bucket=*/{t}/*.parquet")}
    return len(names)
