"""Benchmark the whole pipeline on a synthetic corpus (a script, not a test).

    python scripts/bench.py --articles 10000          (make bench ARTICLES=10000)

Builds a corpus of N articles by cycling the inputs at hand (seeds/, the PolNeAR dev texts when
../shared/polnear_dev/text exists), each copy made distinct so it gets its own id, then measures
in separate processes (so peak memory is per scenario):

1. a full refresh of all N articles;
2. one new article added to that warehouse;
3. a run with nothing changed;
4. optionally (--memory-baseline M) a full refresh of M articles, to compare peak memory;
5. the extraction core alone on one core and on all cores (words per second);
6. time per character at 100 KB and 1 MB of hostile one-article shapes (scripts/bench_scaling.py).

The last line is machine-readable:
`bench articles=N seconds=S articles_per_min=A words_per_s=W peak_rss_mb=M`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def corpus_sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").rglob("*.txt"))]
    polnear = REPO.parent / "shared" / "polnear_dev" / "text"
    if polnear.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(polnear.glob("*.txt"))]
    if not texts:
        raise SystemExit("no input articles found in seeds/ to build a corpus from")
    return texts


def make_corpus(folder: Path, n: int, offset: int = 0) -> int:
    """Write n distinct articles into folder; returns the number of words written."""
    from pipelines.text.normalise import word_count

    sources = corpus_sources()
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(offset, offset + n):
        text = sources[i % len(sources)].rstrip() + f"\n\nThis is copy {i} of the benchmark corpus.\n"
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        words += word_count(text)
    return words


def run_pipeline(seeds: Path, warehouse: Path) -> dict:
    """Materialise every asset in-process; returns timings by stage and peak memory."""
    import dagster as dg

    from pipelines.definitions import build_defs

    started = time.perf_counter()
    defs = build_defs(seeds=str(seeds), warehouse=str(warehouse))
    job = defs.resolve_implicit_global_asset_job_def()
    loaded = time.perf_counter()
    instance = dg.DagsterInstance.ephemeral()
    result = job.execute_in_process(instance=instance,
                                    run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
    finished = time.perf_counter()
    if not result.success:
        raise SystemExit("pipeline run failed")
    steps = {st.step_key: (st.end_time or 0) - (st.start_time or 0) for st in instance.get_run_step_stats(result.run_id)}
    md = {}
    for node in ("extract", "claims_warehouse"):
        for m in result.asset_materializations_for_node(node):
            if m.asset_key.path[-1] in ("articles", "claims_warehouse"):
                md.update({k: v.value for k, v in m.metadata.items() if k.startswith(("seconds", "analysed", "reused"))})
    analyse = float(md.get("seconds_analyse", 0.0))
    assemble = float(md.get("seconds_assemble", 0.0))
    stages = {
        "ingest": steps.get("ingest", 0.0),
        "segment+extract": analyse,
        "frames+parquet": max(steps.get("extract", 0.0) - analyse, 0.0),
        "validate": sum(v for k, v in steps.items() if "matches_contract" in k or "cross_table" in k),
        "exports": float(md.get("seconds_exports", 0.0)),
        "duckdb": float(md.get("seconds_duckdb", 0.0)),
    }
    del assemble
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"seconds": finished - started, "seconds_run": finished - loaded, "stages": stages,
            "analysed": md.get("analysed"), "reused": md.get("reused"), "peak_rss_mb": peak / 1024,
            "warehouse_mb": warehouse.stat().st_size / 1e6}


def scenario(seeds: Path, warehouse: Path) -> dict:
    """Run the pipeline in a fresh process and return its measurements."""
    out = subprocess.run([sys.executable, __file__, "--run-once", str(seeds), str(warehouse)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit("benchmark scenario failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def core_speed(workers: int) -> float:
    """Words per second of the extraction core alone, with `workers` processes."""
    from concurrent.futures import ProcessPoolExecutor

    from pipelines.text.article import analyse
    from pipelines.text.normalise import article_id, normalise, word_count

    texts = [normalise(t) for t in corpus_sources()] * 4
    words = sum(word_count(t) for t in texts)
    if workers == 1:
        analyse(article_id(texts[0]), texts[0])  # load lexicons and word lists once
        started = time.perf_counter()
        for t in texts:
            analyse(article_id(t), t)
        return words / (time.perf_counter() - started)
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_warm, range(workers)))
        started = time.perf_counter()
        list(pool.map(_analyse_text, texts, chunksize=8))
        return words / (time.perf_counter() - started)


def _warm(_: int) -> None:
    from pipelines.text.article import analyse

    analyse("0" * 16, "Warm up: the minister said “yes”.")


def _analyse_text(text: str) -> None:
    from pipelines.text.article import analyse
    from pipelines.text.normalise import article_id

    analyse(article_id(text), text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    ap.add_argument("--memory-baseline", type=int, default=0, help="also run a full refresh of this many articles")
    ap.add_argument("--workdir", type=Path, help="where to build the corpus (default: a temporary folder)")
    ap.add_argument("--run-once", nargs=2, metavar=("SEEDS", "WAREHOUSE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_once:
        print(json.dumps(run_pipeline(Path(args.run_once[0]), Path(args.run_once[1]))))
        return 0

    work = args.workdir or Path(tempfile.mkdtemp(prefix="claims-bench-"))
    seeds, warehouse = work / "seeds", work / "warehouse" / "claims.duckdb"
    print(f"building a corpus of {args.articles} articles in {seeds} ...", flush=True)
    words = make_corpus(seeds, args.articles)
    print(f"{words:,} words; running the pipeline (full refresh) ...", flush=True)
    full = scenario(seeds, warehouse)
    make_corpus(seeds, 1, offset=args.articles)
    one_more = scenario(seeds, warehouse)
    unchanged = scenario(seeds, warehouse)
    baseline = None
    if args.memory_baseline:
        bseeds, bwh = work / "baseline" / "seeds", work / "baseline" / "warehouse" / "claims.duckdb"
        make_corpus(bseeds, args.memory_baseline)
        baseline = scenario(bseeds, bwh)
    one_core = core_speed(1)
    all_cores = core_speed(os.cpu_count() or 1)

    print()
    print(f"{'stage':<22}{'seconds':>10}")
    for stage, secs in full["stages"].items():
        print(f"{stage:<22}{secs:>10.2f}")
    print(f"{'full refresh (run)':<22}{full['seconds_run']:>10.2f}   incl. definitions: {full['seconds']:.2f}s")
    print()
    print(f"articles/s              {args.articles / full['seconds_run']:,.1f}")
    print(f"words/s (end to end)    {words / full['seconds_run']:,.0f}")
    print(f"peak memory             {full['peak_rss_mb']:,.0f} MB")
    print(f"warehouse size          {full['warehouse_mb']:,.1f} MB")
    print(f"one new article         {one_more['seconds_run']:.2f}s (analysed {one_more['analysed']}, reused {one_more['reused']})")
    print(f"nothing changed         {unchanged['seconds_run']:.2f}s (analysed {unchanged['analysed']}, reused {unchanged['reused']})")
    if baseline:
        ratio = full["peak_rss_mb"] / baseline["peak_rss_mb"]
        print(f"peak memory at {args.memory_baseline:<8} {baseline['peak_rss_mb']:,.0f} MB (ratio {ratio:.2f})")
    print(f"extraction core         {one_core:,.0f} words/s on 1 core, {all_cores:,.0f} on {os.cpu_count()} "
          f"({all_cores / one_core:.2f}x)")
    print(f"bench articles={args.articles} seconds={full['seconds_run']:.1f} "
          f"articles_per_min={args.articles / full['seconds_run'] * 60:.0f} words_per_s={words / full['seconds_run']:.0f} "
          f"peak_rss_mb={full['peak_rss_mb']:.0f}")
    import bench_scaling  # time per character at 100 KB and 1 MB: every scan over text linear

    bench_scaling.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
