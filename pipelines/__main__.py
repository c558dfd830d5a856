"""Command line: build the warehouse, query it, export it, show an article, serve the exports.

    python -m pipelines build            materialise every asset (ingest, extract, checks, warehouse)
    python -m pipelines query "SQL"      run SQL against the warehouse, print a table
    python -m pipelines show ARTICLE     an article's quotes grouped by speaker
    python -m pipelines export           re-publish the exports and manifest from the last build
    python -m pipelines serve            serve the exports over HTTP (Parquet with range requests)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipelines.settings import REPO_ROOT, paths

EXAMPLE_QUERIES = [
    "SELECT speaker, count(*) AS quotes FROM quotes_with_speaker WHERE speaker IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    "SELECT claim_type, count(*) AS n, count(*) FILTER (WHERE hedged) AS hedged FROM claims WHERE NOT is_display GROUP BY 1 ORDER BY 2 DESC",
    "SELECT name, source_type, role, n_quotes, n_claims FROM sources ORDER BY n_claims DESC LIMIT 10",
]


def _dagster_env() -> None:
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT))
    os.environ.setdefault("CLAIMS_DAGSTER_DIR", str(REPO_ROOT / ".dagster"))
    Path(os.environ["CLAIMS_DAGSTER_DIR"]).mkdir(parents=True, exist_ok=True)


def cmd_build(args: argparse.Namespace) -> int:
    _dagster_env()
    import dagster as dg

    from pipelines.definitions import build_defs

    p = paths(args.seeds, args.warehouse)
    if not p.seeds.is_dir():
        print(f"error: seeds folder {p.seeds} does not exist. Create it and put .txt, .md or .html articles in it,"
              " or point CLAIMS_SEEDS at one.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    defs = build_defs(seeds=str(p.seeds), warehouse=str(p.warehouse))
    job = defs.resolve_implicit_global_asset_job_def()
    instance = dg.DagsterInstance.ephemeral() if args.ephemeral else dg.DagsterInstance.get()
    result = job.execute_in_process(instance=instance, raise_on_error=False,
                                    run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}})
    elapsed = time.perf_counter() - started
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if not result.success or failed_checks:
        for e in failed_checks:
            print(f"check failed: {e.asset_key.to_user_string()} / {e.check_name}: {e.metadata}", file=sys.stderr)
        print(f"error: the build failed after {elapsed:.1f}s; the previous warehouse (if any) is untouched."
              " See the messages above, or `make dev` for the run in the UI.", file=sys.stderr)
        return 1
    print(f"warehouse: {p.warehouse}")
    print(f"exports:   {p.exports} (manifest.json lists every table)")
    print(f"built in {elapsed:.1f}s. Try:")
    for q in EXAMPLE_QUERIES:
        print(f'  python -m pipelines query "{q}"')
    return 0


def _connect(warehouse: str | None):
    import duckdb

    p = paths(None, warehouse)
    if not p.warehouse.exists():
        raise SystemExit(f"error: no warehouse at {p.warehouse}. Build it first: make run (or python -m pipelines build)")
    return duckdb.connect(str(p.warehouse), read_only=True)


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    con = _connect(args.warehouse)
    try:
        rel = con.sql(args.sql)
    except duckdb.Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if rel is None:
        return 0
    if args.format == "csv":
        rel.pl().write_csv(sys.stdout)
    else:
        rel.show(max_width=200, max_rows=args.limit)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    con = _connect(args.warehouse)
    row = con.execute("SELECT article_id, title, source_path FROM articles WHERE article_id LIKE ? || '%' "
                      "OR source_path = ? ORDER BY article_id LIMIT 1", [args.article, args.article]).fetchone()
    if not row:
        print(f"error: no article matches '{args.article}'. List them with: python -m pipelines query "
              "\"SELECT article_id, source_path, title FROM articles\"", file=sys.stderr)
        return 1
    aid, title, path = row
    print(f"{title or '(untitled)'}\n{path}  [{aid}]\n")
    rows = con.execute("""SELECT coalesce(s.name, '(unattributed)'), s.role, q.quote_type, q.attribution, q.text
                          FROM quotes q LEFT JOIN sources s USING (source_id)
                          WHERE q.article_id = ? ORDER BY 1, q.char_start""", [aid]).fetchall()
    current = None
    for name, role, qtype, attribution, text in rows:
        if name != current:
            print(f"{name}" + (f" ({role})" if role else ""))
            current = name
        print(f"   [{qtype}, {attribution}] “{text}”")
    if not rows:
        print("no quotations in this article")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.schemas import SCHEMAS
    from pipelines.store import exports

    p = paths(None, args.warehouse)
    staged = {t: p.exports / f"{t}.parquet" for t in SCHEMAS}
    missing = [t for t, f in staged.items() if not f.exists()]
    if missing:
        print(f"error: no exports yet ({', '.join(missing)} missing). Run: make run", file=sys.stderr)
        return 1
    version = p.exports / "extractor_version"
    manifest = exports.publish(staged, p.exports, extra={"extractor_version": version.read_text()} if version.exists() else None)
    for e in manifest["tables"]:
        print(f"{e['table']:<18} {e['rows']:>9} rows {e['bytes']:>11} bytes  {e['sha256'][:12]}")
    print(f"manifest: {p.exports / 'manifest.json'}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pipelines.serve import serve

    p = paths(None, args.warehouse)
    if not (p.exports / "manifest.json").exists():
        print(f"error: no exports in {p.exports} yet. Build them first: make run", file=sys.stderr)
        return 1
    print(f"serving {p.exports} on http://{args.host}:{args.port}/ (read-only; Ctrl-C stops)")
    serve(p.exports, args.host, args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warehouse", help="DuckDB file (default: $CLAIMS_WAREHOUSE or warehouse/claims.duckdb)")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="ingest seeds, extract, validate, write the warehouse and exports")
    b.add_argument("--seeds", help="folder of articles (default: $CLAIMS_SEEDS or seeds/)")
    b.add_argument("--ephemeral", action="store_true", help="do not record the run in the Dagster instance")
    b.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                   help="Dagster console log level (default INFO)")
    b.set_defaults(func=cmd_build)
    q = sub.add_parser("query", help="run SQL against the warehouse (read-only)")
    q.add_argument("sql")
    q.add_argument("--format", choices=["table", "csv"], default="table")
    q.add_argument("--limit", type=int, default=40, help="rows to print in table format")
    q.set_defaults(func=cmd_query)
    s = sub.add_parser("show", help="print an article's quotes grouped by speaker")
    s.add_argument("article", help="article_id (or its first characters) or source path")
    s.set_defaults(func=cmd_show)
    e = sub.add_parser("export", help="re-publish Parquet exports and manifest.json")
    e.set_defaults(func=cmd_export)
    v = sub.add_parser("serve", help="serve the exports read-only over HTTP (index, Parquet with ranges, zip, pages)")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    v.add_argument("--port", type=int, default=8750, help="port (default 8750)")
    v.set_defaults(func=cmd_serve)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
