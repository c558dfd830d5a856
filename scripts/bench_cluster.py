"""Benchmark the cluster path (a script, not a test): `make bench CLUSTER=1 ARTICLES=N`.

Starts on 127.0.0.1 what a cluster would have (PostgreSQL for the DuckLake catalog, an
S3-compatible endpoint for the data files, a Dask scheduler) and materialises every partition of
a corpus of N articles (built like `scripts/bench.py`'s) twice, into fresh catalogs: with one
`dask worker` process, then with two. Prints throughput, the 2-worker speed-up, where a
partition's time goes (analysis vs the commit to catalog and object store) and the counts that
bound a bigger cluster: catalog snapshots and object-store files per partition.

The last line is machine-readable:
`bench_cluster articles=N partitions=P w1_s=S w2_s=S speedup=X work_split=Y load=L articles_per_s_per_worker=A commit_s=C`.
`speedup` is wall clock, which other load on the machine distorts; `work_split` is the speed-up the
measured division of CPU time between the two workers would give on two idle cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

BUCKET = "claims-bench"


def run(seeds: Path, pg, s3, cluster, workers: int, partitions: int) -> dict:
    """One full build through `workers` Dask worker processes into a fresh catalog; measurements."""
    from pipelines.cluster import build, lakehouse
    from pipelines.cluster.lakehouse import LakeConfig

    while len(cluster.workers) < workers:
        cluster.add_worker()
    cluster.wait_for_workers(workers)
    name = f"w{workers}"
    config = LakeConfig(f"postgres:{pg.new_database(name)}", f"s3://{BUCKET}/{name}/")
    cpu_before = worker_cpu(cluster.address)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    results = build.build(seeds, config, partitions=partitions, scheduler=cluster.address)
    wall = time.perf_counter() - started
    cpu = {w: t - cpu_before.get(w, 0.0) for w, t in worker_cpu(cluster.address).items()}
    meta = results.pop("_run")
    con = lakehouse.connect(config, read_only=True)
    snapshots = con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    con.close()
    return {"workers": workers, "seconds": wall, "seconds_partitions": meta["seconds_partitions"],
            "seconds_prepare": meta["seconds_prepare"], "articles": meta["articles"],
            "analyse": [r["seconds_analyse"] for r in results.values()],
            "commit": [r["seconds_commit"] for r in results.values()],
            "snapshots": snapshots, "objects": len(s3.keys(BUCKET, f"{name}/")),
            "cpu": sorted(cpu.values(), reverse=True), "load": load}


def worker_cpu(address: str) -> dict[str, float]:
    """CPU seconds each Dask worker process has used so far."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return client.run(time.process_time)


def main() -> int:
    from bench import make_corpus

    from pipelines.cluster.services import DaskCluster, Postgres, S3Server

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    ap.add_argument("--partitions", type=int, default=16, help="partitions (default 16)")
    args = ap.parse_args()

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
            runs.append(run(seeds, pg, s3, cluster, workers, args.partitions))
    finally:
        cluster.stop()
        s3.stop()
        pg.stop()
    report(runs, words, args.partitions)
    return 0


def report(runs: list[dict], words: int, partitions: int) -> None:
    one, two = runs
    print()
    print(f"{'workers':<9}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'snapshots':>11}{'S3 files':>10}"
          f"{'load avg':>10}  CPU s per worker")
    for r in runs:
        secs = r["seconds_partitions"]
        print(f"{r['workers']:<9}{secs:>9.1f}{r['articles'] / secs:>12.1f}{words / secs:>10,.0f}"
              f"{r['snapshots']:>11}{r['objects']:>10}{r['load']:>10.1f}  {', '.join(f'{c:.1f}' for c in r['cpu'])}")
    speedup = one["seconds_partitions"] / two["seconds_partitions"]
    per_article = one["seconds_partitions"] / one["articles"]
    commit = statistics.median(one["commit"] + two["commit"])
    analyse = statistics.median(one["analyse"])
    print()
    balance = sum(two["cpu"]) / max(two["cpu"])  # the speed-up two idle cores would give this split of work
    print(f"speed-up, 2 workers vs 1        {speedup:.2f}x wall clock (load average {two['load']:.1f} on "
          f"{os.cpu_count()} cores); split of the work: {balance:.2f}x")
    print(f"one worker, per article         {per_article * 1000:.1f} ms ({1 / per_article:.1f} articles/s)")
    print(f"per partition (median)          analyse {analyse:.2f}s, commit to catalog + S3 {commit:.2f}s")
    print(f"coordinator (read seeds, DDL)   {one['seconds_prepare']:.1f}s")
    print(f"bench_cluster articles={one['articles']} partitions={partitions} w1_s={one['seconds_partitions']:.1f} "
          f"w2_s={two['seconds_partitions']:.1f} speedup={speedup:.2f} work_split={balance:.2f} load={two['load']:.1f} "
          f"articles_per_s_per_worker={1 / per_article:.1f} commit_s={commit:.2f}")


if __name__ == "__main__":
    sys.exit(main())
