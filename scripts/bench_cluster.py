"""Benchmark the cluster path (a script, not a test): `make bench CLUSTER=1 ARTICLES=N`.

Starts on 127.0.0.1 what a cluster would have (PostgreSQL for the DuckLake catalog, an
S3-compatible endpoint for the data files, a Dask scheduler) and runs the ordinary build
(`pipelines.defs.run.materialise`, what `python -m pipelines build` runs) of a corpus of N articles
(built like `scripts/bench.py`'s) twice, into fresh lakes: with one `dask worker` process, then with
two. Only configuration differs from a local build: CLAIMS_CATALOG, CLAIMS_DATA_PATH, CLAIMS_SCHEDULER.
Prints throughput, the 2-worker speed-up of the analysis, where a build's time goes, and what bounds
a bigger cluster: catalog commits per second on PostgreSQL (a few hundred small commits, with data
files in a folder and on S3) and object-store files per build.

The last line is machine-readable:
`bench_cluster articles=N w1_s=S w2_s=S speedup=X work_split=Y load=L articles_per_s_per_worker=A
commit_s=C commits_per_s_pg=P commits_per_s_pg_s3=Q`.
`speedup` is wall clock of the analysis, which other load on the machine distorts; `work_split` is
the speed-up the measured division of CPU time between the two workers would give on two idle cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

BUCKET = "claims-bench"
STEPS = ("ingest", "extract", "claims_lake", "article_pages")


def run(seeds: Path, work: Path, pg, s3, cluster, workers: int) -> dict:
    """One full build through `workers` Dask worker processes into a fresh lake; measurements."""
    import dagster as dg

    from pipelines.defs.run import materialise
    from pipelines.settings import Paths
    from pipelines.store import lake

    while len(cluster.workers) < workers:
        cluster.add_worker()
    cluster.wait_for_workers(workers)
    name = f"w{workers}"
    p = Paths(seeds, work / name / "claims.sqlite", f"postgres:{pg.new_database(name)}", f"s3://{BUCKET}/{name}/")
    os.environ.update({"CLAIMS_CATALOG": p.catalog_url, "CLAIMS_DATA_PATH": p.data_url,
                       "CLAIMS_SCHEDULER": cluster.address})
    cpu_before = worker_cpu(cluster.address)
    load = os.getloadavg()[0]
    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    result = materialise(p=p, instance=instance, full=True)
    wall = time.perf_counter() - started
    if not result.success:
        raise SystemExit("the build failed")
    cpu = {w: t - cpu_before.get(w, 0.0) for w, t in worker_cpu(cluster.address).items()}
    meta = {k: v.value for node in ("extract", "claims_lake") for m in result.asset_materializations_for_node(node)
            for k, v in m.metadata.items()}
    steps = {s.step_key: (s.end_time or 0) - (s.start_time or 0) for s in instance.get_run_step_stats(result.run_id)}
    con = lake.connect(p, read_only=True)
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    snapshots = len(lake.snapshots(con))
    con.close()
    return {"workers": workers, "seconds": wall, "analyse": float(meta["seconds_analyse"]), "articles": articles,
            "commit": float(meta["seconds_commit"]), "exports": float(meta["seconds_exports"]),
            "steps": {k: v for k, v in steps.items() if k in STEPS}, "snapshots": snapshots,
            "objects": len(s3.keys(BUCKET, f"{name}/")), "cpu": sorted(cpu.values(), reverse=True), "load": load}


def worker_cpu(address: str) -> dict[str, float]:
    """CPU seconds each Dask worker process has used so far."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return client.run(time.process_time)


def commits_per_second(pg, work: Path, n: int, data_path: str) -> float:
    """`n` small commits (one row, one Parquet data file each) to a fresh DuckLake catalog on PostgreSQL."""
    from pipelines.settings import Paths
    from pipelines.store import lake

    name = f"commits_{'s3' if data_path.startswith('s3://') else 'local'}"
    p = Paths(work, work / name / "claims.sqlite", f"postgres:{pg.new_database(name)}", data_path)
    con = lake.connect(p, read_only=False)
    con.execute("CREATE TABLE bench_commits (i INTEGER, made TIMESTAMP)")
    started = time.perf_counter()
    for i in range(n):
        con.execute("BEGIN")
        con.execute("INSERT INTO bench_commits VALUES (?, now())", [i])
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    assert con.execute("SELECT count(*) FROM bench_commits").fetchone()[0] == n
    con.close()
    return n / seconds


def main() -> int:
    from bench import make_corpus

    from pipelines.cluster.services import DaskCluster, Postgres, S3Server

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    ap.add_argument("--commits", type=int, default=300, help="small commits timed on the catalog (default 300)")
    ap.add_argument("--commits-only", action="store_true", help="time only the catalog commits (one process, light)")
    args = ap.parse_args()
    if args.commits_only:
        return commits_only(args.commits)

    work = Path(tempfile.mkdtemp(prefix="claims-bench-cluster-"))
    seeds = work / "seeds"
    words = make_corpus(seeds, args.articles)
    print(f"{args.articles} articles, {words:,} words; starting PostgreSQL, S3 endpoint, Dask scheduler ...",
          flush=True)
    pg = Postgres(Path(tempfile.mkdtemp(prefix="claims-bench-pg-")))
    s3, cluster = S3Server(), DaskCluster(work / "dask")
    runs = []
    try:
        pg.start()
        s3.start(BUCKET)
        cluster.start(1)
        for workers in (1, 2):
            print(f"building with {workers} worker(s) ...", flush=True)
            runs.append(run(seeds, work, pg, s3, cluster, workers))
        print(f"timing {args.commits} small commits on the PostgreSQL catalog ...", flush=True)
        load = os.getloadavg()[0]
        commits = (commits_per_second(pg, work, args.commits, (work / "commit-data").as_posix() + "/"),
                   commits_per_second(pg, work, args.commits, f"s3://{BUCKET}/commits/"))
    finally:
        cluster.stop()
        s3.stop()
        pg.stop()
    report(runs, words, commits, load)
    return 0


def commits_only(n: int) -> int:
    """Only the catalog's commit rate: PostgreSQL and the S3 endpoint, no Dask, no corpus."""
    from pipelines.cluster.services import Postgres, S3Server

    work = Path(tempfile.mkdtemp(prefix="claims-bench-commits-"))
    pg, s3 = Postgres(Path(tempfile.mkdtemp(prefix="claims-bench-pg-"))), S3Server()
    try:
        pg.start()
        s3.start(BUCKET)
        load = os.getloadavg()[0]
        local = commits_per_second(pg, work, n, (work / "commit-data").as_posix() + "/")
        on_s3 = commits_per_second(pg, work, n, f"s3://{BUCKET}/commits/")
        end_load = os.getloadavg()[0]
    finally:
        s3.stop()
        pg.stop()
    print(f"{n} small commits on the PostgreSQL catalog: {local:.0f}/s with data files in a folder, {on_s3:.0f}/s "
          f"with data files on S3 (load average {load:.1f} -> {end_load:.1f})")
    print(f"bench_cluster_commits commits={n} commits_per_s_pg={local:.0f} commits_per_s_pg_s3={on_s3:.0f} load={load:.1f}")
    return 0


def report(runs: list[dict], words: int, commits: tuple[float, float], commit_load: float) -> None:
    one, two = runs
    print()
    print(f"{'workers':<9}{'analyse s':>10}{'articles/s':>12}{'words/s':>10}{'build s':>9}{'commit s':>10}"
          f"{'exports s':>11}{'snapshots':>11}{'S3 files':>10}{'load avg':>10}  CPU s per worker")
    for r in runs:
        secs = r["analyse"]
        print(f"{r['workers']:<9}{secs:>10.1f}{r['articles'] / secs:>12.1f}{words / secs:>10,.0f}{r['seconds']:>9.1f}"
              f"{r['commit']:>10.2f}{r['exports']:>11.2f}{r['snapshots']:>11}{r['objects']:>10}{r['load']:>10.1f}"
              f"  {', '.join(f'{c:.1f}' for c in r['cpu'])}")
    speedup = one["analyse"] / two["analyse"]
    per_article = one["analyse"] / one["articles"]
    balance = sum(two["cpu"]) / max(two["cpu"])  # the speed-up two idle cores would give this split of work
    print()
    print(f"speed-up of the analysis, 2 workers vs 1   {speedup:.2f}x wall clock (load average {two['load']:.1f} on "
          f"{os.cpu_count()} cores); split of the work: {balance:.2f}x")
    print(f"one worker, per article                    {per_article * 1000:.1f} ms ({1 / per_article:.1f} articles/s)")
    print("steps of the 2-worker build (s)            " + ", ".join(f"{k} {v:.1f}" for k, v in two["steps"].items()))
    print(f"catalog commits on PostgreSQL              {commits[0]:.0f}/s with data files in a folder, "
          f"{commits[1]:.0f}/s with data files on S3 (one row, one file each; load average {commit_load:.1f})")
    print(f"bench_cluster articles={one['articles']} w1_s={one['analyse']:.1f} w2_s={two['analyse']:.1f} "
          f"speedup={speedup:.2f} work_split={balance:.2f} load={two['load']:.1f} "
          f"articles_per_s_per_worker={1 / per_article:.1f} commit_s={two['commit']:.2f} "
          f"commits_per_s_pg={commits[0]:.0f} commits_per_s_pg_s3={commits[1]:.0f}")


if __name__ == "__main__":
    sys.exit(main())
