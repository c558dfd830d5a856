"""Command line: build the warehouse, query it, export it, show an article, serve the exports.

    python -m pipelines build            materialise the changed partitions (ingest, extract, checks, commit)
    python -m pipelines query "SQL"      run SQL against the warehouse, print a table (--as-of SNAPSHOT)
    python -m pipelines versions         list the lake's snapshots (id, time, extractor version)
    python -m pipelines show ARTICLE     an article's quotes grouped by speaker
    python -m pipelines export           re-publish the exports and manifest from the latest snapshot
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

    from pipelines.defs.run import materialise

    p = paths(args.seeds, args.warehouse)
    if not p.seeds.is_dir():
        print(f"error: seeds folder {p.seeds} does not exist. Create it and put .txt, .md or .html articles in it,"
              " or point CLAIMS_SEEDS at one.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = materialise(p=p, instance=dg.DagsterInstance.ephemeral() if args.ephemeral else dg.DagsterInstance.get(),
                         log_level=args.log_level, full=args.full)
    elapsed = time.perf_counter() - started
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if not result.success or failed_checks:
        for e in failed_checks:
            print(f"check failed: {e.asset_key.to_user_string()} / {e.check_name}: {e.metadata}", file=sys.stderr)
        print(f"error: the build failed after {elapsed:.1f}s; the lake still holds its previous snapshot."
              " See the messages above, or `make dev` for the run in the UI.", file=sys.stderr)
        return 1
    print(f"warehouse: {p.warehouse} (DuckLake catalog; data in {p.data_path})")
    print(f"exports:   {p.exports} (manifest.json lists every table)")
    print(f"built in {elapsed:.1f}s. Try:")
    for q in EXAMPLE_QUERIES:
        print(f'  python -m pipelines query "{q}"')
    return 0


def _connect(warehouse: str | None, snapshot: int | None = None):
    import duckdb

    from pipelines.store import lake

    p = paths(None, warehouse)
    if not lake.exists(p):
        raise SystemExit(f"error: no warehouse at {p.warehouse}. Build it first: make run (or python -m pipelines build)")
    try:
        return lake.connect(p, read_only=True, snapshot=snapshot)
    except duckdb.Error as exc:
        raise SystemExit(f"error: cannot open the warehouse at {p.warehouse}"
                         + (f" at snapshot {snapshot} (list them: python -m pipelines versions)" if snapshot is not None else "")
                         + f": {exc}") from exc


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    con = _connect(args.warehouse, args.as_of)
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
    from pipelines.batch import extractor_version
    from pipelines.store import exports, lake

    p = paths(None, args.warehouse)
    if not lake.exists(p):
        print(f"error: no warehouse at {p.warehouse} yet. Run: make run", file=sys.stderr)
        return 1
    con = lake.connect(p, read_only=True)
    try:
        manifest = exports.publish(con, p.exports, (exports.read_manifest(p.exports) or {}).get("extractor_version")
                                   or extractor_version())
    finally:
        con.close()
    for e in manifest["tables"]:
        print(f"{e['table']:<18} {e['rows']:>9} rows {e['bytes']:>11} bytes  {e['sha256'][:12]}")
    print(f"manifest: {p.exports / 'manifest.json'} (snapshot {manifest['snapshot_id']})")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from pipelines.store import lake

    con = _connect(args.warehouse)
    try:
        rows = lake.snapshots(con)
    finally:
        con.close()
    print(f"{'snapshot':>8}  {'time (UTC)':<19}  {'extractor':<16}  what")
    for s in rows:
        what = s["message"] or ", ".join(sorted(s["changes"]))
        if s.get("buckets") is not None:
            what = f"build of {len(s['buckets'])} partition(s)"
        print(f"{s['snapshot_id']:>8}  {s['time']:%Y-%m-%d %H:%M:%S}  {s.get('extractor_version') or '-':<16}  {what}")
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
    ap.add_argument("--warehouse", help="DuckLake catalog file (default: $CLAIMS_WAREHOUSE or warehouse/claims.sqlite)")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="ingest seeds, extract, validate, write the warehouse and exports")
    b.add_argument("--seeds", help="folder of articles (default: $CLAIMS_SEEDS or seeds/)")
    b.add_argument("--ephemeral", action="store_true", help="do not record the run in the Dagster instance")
    b.add_argument("--full", action="store_true", help="every partition, changed or not (a full refresh)")
    b.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                   help="Dagster console log level (default INFO)")
    b.set_defaults(func=cmd_build)
    q = sub.add_parser("query", help="run SQL against the warehouse (read-only)")
    q.add_argument("sql")
    q.add_argument("--format", choices=["table", "csv"], default="table")
    q.add_argument("--limit", type=int, default=40, help="rows to print in table format")
    q.add_argument("--as-of", type=int, metavar="SNAPSHOT", help="query an earlier snapshot (see: versions)")
    q.set_defaults(func=cmd_query)
    s = sub.add_parser("show", help="print an article's quotes grouped by speaker")
    s.add_argument("article", help="article_id (or its first characters) or source path")
    s.set_defaults(func=cmd_show)
    vs = sub.add_parser("versions", help="list the snapshots: id, time, extractor version")
    vs.set_defaults(func=cmd_versions)
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
