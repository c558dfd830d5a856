"""Command line (also installed as `claims`): build the warehouse, query it, export it, show an article, serve the exports.

    python -m pipelines build            materialise the changed partitions (ingest, extract, checks, commit)
    python -m pipelines query "SQL"      run SQL against the warehouse, print a table (--as-of SNAPSHOT)
    python -m pipelines versions         list the lake's snapshots (id, time, extractor version)
    python -m pipelines show ARTICLE     an article's quotes grouped by speaker (id prefix, path or title words)
    python -m pipelines search "WORDS"   full-text search over claims and quotes
    python -m pipelines export           re-publish the exports and manifest from the latest snapshot
    python -m pipelines compact          merge small data files, expire old snapshots (keeps --keep N)
    python -m pipelines serve            serve the exports over HTTP (Parquet with range requests)

Options such as --warehouse go before or after the command.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipelines.cli import hints, output
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
    from pipelines.cli import progress

    progress.enable(not args.no_progress)
    from pipelines.store import publication

    before = publication.lake_snapshot(p)
    started = time.perf_counter()
    result = materialise(p=p, instance=dg.DagsterInstance.ephemeral() if args.ephemeral else dg.DagsterInstance.get(),
                         log_level=args.log_level, full=args.full)
    elapsed = time.perf_counter() - started
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if not result.success or failed_checks:
        for e in failed_checks:
            print(f"check failed: {e.asset_key.to_user_string()} / {e.check_name}: {e.metadata}", file=sys.stderr)
        after = publication.lake_snapshot(p)
        if after == before:
            print(f"error: the build failed after {elapsed:.1f}s; the lake still holds its previous snapshot."
                  " See the messages above, or `make dev` for the run in the UI.", file=sys.stderr)
        else:  # failed after its commit: the new snapshot is whole, exports/ may lag behind it
            print(f"error: the build committed snapshot {after}, then failed after {elapsed:.1f}s (see the"
                  f" messages above); the lake already shows the new snapshot, and if {p.exports} is still behind"
                  " it, the next build, `serve`, `export` or any read command brings it up.", file=sys.stderr)
        return 1
    print(f"warehouse: {p.warehouse} (DuckLake catalog; data in {p.data_path})")
    print(f"exports:   {p.exports} (a folder per table, e.g. read_parquet('{p.exports}/claims/*.parquet');"
          " manifest.json lists every file)")
    print(f"built in {elapsed:.1f}s. Try:")
    cmd = hints.command()
    for q in EXAMPLE_QUERIES:
        print(f'  {cmd} query "{q}"')
    print(f"  {cmd} show {_example_article(p.warehouse)}")
    print(f"  {cmd} search \"<words>\"")
    print(f"and open {p.exports / 'html' / 'index.html'} in a browser for the dashboard.")
    return 0


def _example_article(warehouse: Path) -> str:
    con = _connect(str(warehouse))
    try:
        row = con.execute("SELECT article_id FROM articles ORDER BY source_path LIMIT 1").fetchone()
    finally:
        con.close()
    return row[0][:8] if row else "ARTICLE"


def _connect(warehouse: str | None, locked: bool = True, snapshot: int | None = None):
    """A read-only connection to the lake (at `snapshot`, or the latest); `locked` also disables file
    access but for the lake's data files (for user SQL; the search index builder writes its own file)."""
    import duckdb

    from pipelines.store import lake, readonly

    p = paths(None, warehouse)
    if not lake.exists(p):
        raise SystemExit(f"error: no warehouse at {p.warehouse}. Build it first: make run (or {hints.command()} build)")
    from pipelines.store import publication

    publication.repair(p)  # exports/ left behind by a build killed after its commit: bring it up
    try:
        con = lake.connect(p, read_only=True, snapshot=snapshot)
    except duckdb.Error as exc:
        at = f" at snapshot {snapshot} (list them: {hints.command()} versions)" if snapshot is not None else ""
        raise SystemExit(f"error: cannot open the warehouse at {p.warehouse}{at}: {exc}") from exc
    return readonly.lock(con, readable=lake.readable_paths(p)) if locked else con


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines.store import readonly

    con = _connect(args.warehouse, snapshot=args.as_of)
    try:
        rel = con.sql(readonly.check(args.sql))
    except duckdb.Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if rel is None:
        return 0
    if args.format == "table":
        rel.show(max_width=200, max_rows=args.limit)
        return 0
    cursor = con.execute(args.sql)  # a cursor streams rows; no pyarrow or pandas needed
    (output.write_csv if args.format == "csv" else output.write_json)(cursor)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from pipelines.cli.find import find_articles

    con = _connect(args.warehouse)
    try:
        found = find_articles(con, args.article)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not found:
        if Path(args.article).is_file():
            print(f"error: {args.article} is not in the warehouse yet (added after the last build?). Build it: "
                  f"{hints.command()} build", file=sys.stderr)
            return 1
        print(f"error: no article matches '{args.article}'. List them with: {hints.command()} query "
              "\"SELECT article_id, source_path, title FROM articles\"", file=sys.stderr)
        return 1
    if len(found) > 1:
        print(f"{len(found)} articles match '{args.article}'; show one by its id:", file=sys.stderr)
        for aid, title, path in found:
            print(f"  {aid[:12]}  {path}  {title or '(untitled)'}", file=sys.stderr)
        return 1
    row = found[0]
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


def cmd_search(args: argparse.Namespace) -> int:
    import textwrap

    from pipelines import search

    words = " ".join(args.words).strip()
    if not words:
        print("error: give words to search for, e.g. search \"ceasefire\"", file=sys.stderr)
        return 2
    con = _connect(args.warehouse, locked=False)  # runs only our SQL
    try:
        index = search.ensure_index(con, paths(None, args.warehouse).warehouse)
    finally:
        con.close()
    hits = search.search(index, words, limit=args.limit, kind=args.type)
    if not hits:
        print(f"no claim or quote matches '{words}'", file=sys.stderr)
        return 1
    for i, h in enumerate(hits, start=1):
        print(f"{i:>3}. [{h['type']}] {h['speaker']} · {h['source_path']} [{h['article_id'][:8]}]"
              f" {h['title'] or ''}".rstrip())
        print(textwrap.fill(h["text"], width=100, initial_indent="     ", subsequent_indent="     "))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.batch import extractor_version
    from pipelines.store import exports, lake, publication

    p = paths(None, args.warehouse)
    if not lake.exists(p):
        print(f"error: no warehouse at {p.warehouse} yet. Run: make run", file=sys.stderr)
        return 1
    version = (exports.read_manifest(p.exports) or {}).get("extractor_version") or extractor_version()
    publication.ensure(p, version)  # publishes again only what is missing or damaged
    pub = publication.push(p)  # a copy on object storage when CLAIMS_EXPORTS_URL is set
    manifest = pub.manifest if pub else {"tables": [], "snapshot_id": None}
    for e in manifest["tables"]:
        print(f"{e['table']:<18} {e['rows']:>9} rows {e['bytes']:>11} bytes  {len(e['parts'])} files {e['files']}")
    print(f"manifest: {p.exports / 'manifest.json'} (snapshot {manifest['snapshot_id']})")
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    from pipelines.store import compact, lake

    p = paths(None, args.warehouse)
    if not lake.exists(p):
        print(f"error: no warehouse at {p.warehouse} yet. Run: make run", file=sys.stderr)
        return 1
    report = compact.compact(p, keep=args.keep or compact.KEEP_SNAPSHOTS)
    print(f"data files: {report.files_before} -> {report.files_after}")
    print(f"snapshots expired: {len(report.snapshots_expired)}; the oldest still queryable is {report.kept_from}")
    print(f"files deleted: {report.files_deleted} (files freed now are deleted by the next compaction, "
          f"after {compact.READ_GRACE_S} s)")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from pipelines.store import lake

    con = _connect(args.warehouse, locked=False)  # runs only our SQL
    try:
        rows = lake.snapshots(con)
    finally:
        con.close()
    print(f"{'snapshot':>8}  {'time (UTC)':<19}  {'extractor':<16}  what")
    for r in rows:
        what = r["message"] or ", ".join(sorted(r["changes"]))
        if r.get("buckets") is not None:
            what = f"build of {len(r['buckets'])} partition(s)"
        print(f"{r['snapshot_id']:>8}  {r['time']:%Y-%m-%d %H:%M:%S}  {r.get('extractor_version') or '-':<16}  {what}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipelines import validate

    con = _connect(args.warehouse, locked=False)  # runs only our SQL
    try:
        problems = validate.snapshot_problems(con)
    finally:
        con.close()
    for p in problems:
        print(f"{p.table}: {p.rule}: {p.count} row(s), e.g. {p.example}")
    print(f"{len(problems)} cross-table rule(s) broken" if problems else "every cross-table rule holds over every row")
    return 1 if problems else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pipelines.serve import serve

    p = paths(None, args.warehouse)
    if not (p.exports / "manifest.json").exists():
        print(f"error: no exports in {p.exports} yet. Build them first: make run", file=sys.stderr)
        return 1
    print(f"serving {p.exports} on http://{args.host}:{args.port}/ (read-only; Ctrl-C stops)")
    serve(p.exports, args.host, args.port, lake_paths=p)
    return 0


def _common(default) -> argparse.ArgumentParser:
    """Options every command takes, before or after its name (the top level gives the default)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", default=default,
                        help="the lake's catalog file (default: $CLAIMS_WAREHOUSE or warehouse/claims.sqlite)")
    return common


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog=hints.command(), description=__doc__, parents=[_common(None)],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    after = [_common(argparse.SUPPRESS)]  # given after the command, it overrides the top-level value
    b = sub.add_parser("build", parents=after, help="ingest seeds, extract, validate, write the warehouse and exports")
    b.add_argument("--seeds", help="folder of articles (default: $CLAIMS_SEEDS or seeds/)")
    b.add_argument("--ephemeral", action="store_true", help="do not record the run in the Dagster instance")
    b.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                   help="Dagster console log level (default WARNING; INFO shows every step)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar while analysing")
    b.add_argument("--full", action="store_true", help="every partition, changed or not (a full refresh)")
    b.set_defaults(func=cmd_build)
    q = sub.add_parser("query", parents=after, help="run SQL against the warehouse (read-only)")
    q.add_argument("sql")
    q.add_argument("--format", choices=output.FORMATS, default="table",
                   help="table (default, cut at --limit rows), csv or json (every row)")
    q.add_argument("--limit", type=int, default=40, help="rows to print in table format")
    q.add_argument("--as-of", type=int, metavar="SNAPSHOT", help="query an earlier snapshot (list them: versions)")
    q.set_defaults(func=cmd_query)
    s = sub.add_parser("show", parents=after, help="print an article's quotes grouped by speaker")
    s.add_argument("article", help="article_id or its first characters, a path (as stored, seeds/..., absolute) "
                                   "or words of the title")
    s.set_defaults(func=cmd_show)
    f = sub.add_parser("search", parents=after, help="full-text search over claims and quotes (speaker, type, article)")
    f.add_argument("words", nargs="+", help="words to find (stemmed: 'warned' finds 'warn', 'warning')")
    f.add_argument("--limit", type=int, default=20, help="matches to print (default 20)")
    f.add_argument("--type", choices=["direct_quote", "partial_quote", "reported_speech", "assertion", "prediction",
                                      "evaluation", "scare_quote"], help="only claims (or quotes) of this type")
    f.set_defaults(func=cmd_search)
    vs = sub.add_parser("versions", parents=after, help="list the snapshots: id, time, extractor version")
    vs.set_defaults(func=cmd_versions)
    e = sub.add_parser("export", parents=after, help="re-publish Parquet exports and manifest.json")
    e.set_defaults(func=cmd_export)
    c = sub.add_parser("compact", parents=after, help="merge small data files, expire old snapshots, delete unused files")
    c.add_argument("--keep", type=int, default=None, help="how many recent snapshots stay queryable (default 30)")
    c.set_defaults(func=cmd_compact)
    k = sub.add_parser("check", parents=after, help="check every cross-table rule over every row of the current "
                                                    "snapshot (a build checks the rows it changes)")
    k.set_defaults(func=cmd_check)
    v = sub.add_parser("serve", parents=after, help="serve the exports read-only over HTTP (index, Parquet with ranges, zip, pages)")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    v.add_argument("--port", type=int, default=8750, help="port (default 8750)")
    v.set_defaults(func=cmd_serve)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: stop quietly, like other command-line tools
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())
