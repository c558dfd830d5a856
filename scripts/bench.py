"""Benchmark the whole pipeline on a synthetic corpus (a script, not a test).

    python scripts/bench.py --articles 10000          (make bench ARTICLES=10000)

Builds a corpus of N articles by cycling the inputs at hand (seeds/, the PolNeAR dev texts when
../shared/polnear_dev/text exists), each copy made distinct so it gets its own id, then measures
in separate processes (so peak memory is per scenario):

1. a full refresh of all N articles;
2. one new article added to that warehouse (SMALL_RUNS times, a new article each time; the median);
3. a run with nothing changed (SMALL_RUNS times; the median);
4. one more new article, run the way the sensor's runs are (a new process loading the code location
   with `dagster job execute`, as the daemon's run launcher does), against the same work from the CLI;
   then four more dropped into the seeds folder with `dagster-daemon` running the sensor, one at each
   of DROP_PHASES_S after a tick of the sensor, each timed until a query of the lake finds it (mean
   and worst);
5. optionally (--memory-baseline M) a full refresh of M articles, to compare peak memory;
6. the extraction core alone on one core and on all cores (words per second), each in a fresh
   process, and on one core once more before the full refresh (the machine's speed at that time);
7. time per character at 100 KB and 1 MB of hostile one-article shapes (scripts/bench_scaling.py).

`--layers` instead times only the entity layer and the time-expression layer on the corpus
sources, one core, and prints `layers entities_words_per_s=E timex_words_per_s=T`.

Start-up (imports, definitions) is reported apart from the run itself. The last line is
machine-readable: `bench articles=N seconds=S articles_per_min=A words_per_s=W peak_rss_mb=M
one_new_s=X unchanged_s=Y memory_ratio=R sensor_s=Z cli_s=C daemon_drop_s=D daemon_drop_worst_s=E`.
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
# the one-article and nothing-changed rows are each the median of this many runs: one run of one new
# article into 10,000 measured 2.60 s where six back to back gave 2.18-2.37 s (session 29)
SMALL_RUNS = 3
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
    """Build in-process as the CLI does; returns timings by stage and peak memory."""
    import dagster as dg

    started = time.perf_counter()
    import pipelines.definitions  # noqa: F401  the code location, loaded before any run (as a run worker does)
    from pipelines.defs.run import materialise

    instance = dg.DagsterInstance.ephemeral()
    loaded = time.perf_counter()
    result = materialise(seeds, warehouse, instance=instance)
    finished = time.perf_counter()
    if not result.success:
        raise SystemExit("pipeline run failed")
    steps = {st.step_key: (st.end_time or 0) - (st.start_time or 0) for st in instance.get_run_step_stats(result.run_id)}
    md = {}
    for node in ("extract", "claims_lake"):
        for m in result.asset_materializations_for_node(node):
            md.update({k: v.value for k, v in m.metadata.items()
                       if k.startswith(("seconds", "analysed", "partitions", "removed"))})
    analyse = float(md.get("seconds_analyse", 0.0))
    stages = {
        "ingest": steps.get("ingest", 0.0),
        "segment+extract": analyse,
        "partition planning": max(steps.get("extract", 0.0) - analyse, 0.0),
        "validate": sum(v for k, v in steps.items() if "contract" in k or "cross_table" in k),
        "lake commit": float(md.get("seconds_commit", 0.0)),
        "exports": float(md.get("seconds_exports", 0.0)),
        "pages": steps.get("article_pages", 0.0),
    }
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    lake_mb = sum(f.stat().st_size for f in (warehouse.parent / "lake").rglob("*") if f.is_file()) / 1e6
    return {"seconds": finished - started, "seconds_run": finished - loaded, "stages": stages,
            "analysed": md.get("analysed", 0), "partitions": md.get("partitions_changed", 0),
            "peak_rss_mb": peak / 1024, "warehouse_mb": lake_mb}


def _median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["seconds_run"])[len(runs) // 2]


def _each(runs: list[dict]) -> str:
    return ", ".join(f"{r['seconds_run']:.2f}" for r in runs)


def scenario(seeds: Path, warehouse: Path) -> dict:
    """Run the pipeline in a fresh process and return its measurements."""
    out = subprocess.run([sys.executable, __file__, "--run-once", str(seeds), str(warehouse)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit("benchmark scenario failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def sensor_style_run(seeds: Path, warehouse: Path) -> float:
    """Seconds for a run launched the way the daemon launches the sensor's runs: a new process that
    loads the code location and executes the job over the changed partitions."""
    from pipelines.defs.automation import partition_tags
    from pipelines.defs.changes import changed_partitions
    from pipelines.settings import paths

    keys = changed_partitions(paths(seeds, warehouse))
    home = Path(tempfile.mkdtemp(prefix="claims-bench-home-"))
    env = {**os.environ, "CLAIMS_SEEDS": str(seeds), "CLAIMS_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home),
           "CLAIMS_DAGSTER_DIR": str(home)}
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "dagster", "job", "execute", "-m", "pipelines.definitions",
                          "-j", "materialise_all", "--tags", json.dumps(partition_tags(keys))],
                         cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit("sensor-style run failed")
    return time.perf_counter() - started


DAEMON_TIMEOUT_S = 180


# When, after a tick of the sensor, the file is dropped: Dagster's sensor daemon evaluates sensors at
# most every 5 s (`dagster._daemon.sensor.MIN_INTERVAL_LOOP_TIME`, whatever the sensor's own
# interval), so a file waits 0-5 s for the next tick depending on when it comes. A drop right after
# a tick (the first phase) is the worst case; the mean over phases spread evenly over the loop is
# what a user dropping files at any time waits.
DROP_PHASES_S = (0.0, 1.25, 2.5, 3.75)


def daemon_drop(seeds: Path, warehouse: Path, offset: int) -> dict:
    """Seconds from a file dropped into the seeds folder, with `dagster-daemon` running the sensor on a
    temporary DAGSTER_HOME, until a query of the lake finds its article: one file at each of
    DROP_PHASES_S after a tick (mean and worst); the daemon is stopped by its handle (its process
    group) afterwards."""
    import signal

    import dagster as dg

    from pipelines.store import lake

    home = Path(tempfile.mkdtemp(prefix="claims-bench-daemon-"))
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    env = {**os.environ, "CLAIMS_SEEDS": str(seeds), "CLAIMS_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home),
           "CLAIMS_DAGSTER_DIR": str(home)}
    saved = {k: os.environ.get(k) for k in ("DAGSTER_HOME", "CLAIMS_DAGSTER_DIR")}
    os.environ.update({k: env[k] for k in saved})
    with dg.DagsterInstance.get() as instance:  # its SQLite storages made first: the daemon and its code
        instance.get_runs(limit=1)  # server creating them at once failed with two alembic heads
        instance.all_instigator_state()
    daemon_bin = Path(sys.executable).parent / "dagster-daemon"
    log = open(home / "daemon.log", "wb")  # noqa: SIM115  closed below, after the daemon stops
    daemon = subprocess.Popen([str(daemon_bin), "run", "-m", "pipelines.definitions"], cwd=REPO, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with dg.DagsterInstance.get() as instance:
            _wait(lambda: _latest_tick(instance) > 0, "the sensor's first evaluation")
            waited = []
            for i, phase in enumerate(DROP_PHASES_S):
                tick = _next_tick(instance)
                time.sleep(max(0.0, tick + phase - time.time()))
                name = f"{offset + i:06d}.txt"
                make_corpus(seeds, 1, offset=offset + i)
                dropped = time.perf_counter()
                _wait(lambda name=name: _queryable(lake, warehouse, name), f"{name} in the lake")
                waited.append(time.perf_counter() - dropped)
            runs = instance.get_runs(limit=1)
            stats = instance.get_run_stats(runs[0].run_id) if runs else None
            run_s = (stats.end_time or time.time()) - (stats.start_time or time.time()) if stats else float("nan")
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        log.close()
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    return {"seconds": sum(waited) / len(waited), "worst": max(waited), "each": waited, "run_seconds": run_s}


def _wait(done, what: str) -> None:
    deadline = time.perf_counter() + DAEMON_TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit(f"daemon benchmark: no {what} within {DAEMON_TIMEOUT_S} s")
        time.sleep(0.2)


def _latest_tick(instance) -> float:
    """The start time (epoch seconds) of the sensor's latest tick, 0 before its first."""
    return max((t.timestamp for s in instance.all_instigator_state()
                for t in instance.get_ticks(s.instigator_origin_id, s.selector_id, limit=1)), default=0.0)


def _next_tick(instance) -> float:
    """The start time (epoch seconds) of the sensor's next tick from now."""
    last = _latest_tick(instance)
    _wait(lambda: _latest_tick(instance) > last, "a sensor tick")
    return _latest_tick(instance)


def _queryable(lake, warehouse: Path, name: str) -> bool:
    con = lake.open_warehouse(warehouse)
    try:
        return con.execute("SELECT count(*) FROM articles WHERE source_path = ?", [name]).fetchone()[0] > 0
    finally:
        con.close()


def cli_run(seeds: Path, warehouse: Path) -> float:
    """Seconds for `python -m pipelines build` (process start-up included)."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pipelines", "--warehouse", str(warehouse), "build", "--seeds",
                          str(seeds), "--ephemeral", "--no-progress", "--log-level", "ERROR"],
                         cwd=REPO, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-3000:])
        raise SystemExit("CLI run failed")
    return time.perf_counter() - started


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


def core_speed_fresh(workers: int) -> float:
    """`core_speed(workers)` in a new process, so nothing this one loaded or left behind (Dagster,
    the daemon's instance) weighs on it: measured in this process after the scenarios, it read
    59,402 words/s on one core where a fresh process read 85,400-86,900 on the same code a few
    minutes later (session 24, load about 1.2); its wall clock also counts whatever else runs."""
    out = subprocess.run([sys.executable, __file__, "--core-speed", str(workers)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def extraction_line(words: int, seconds: float, workers: int, core: float) -> str:
    """The extraction stage per worker against the core's speed on one core before the run: a worker
    also guards, frames, checks and stages its rows (a fifth more CPU than the analysis alone), so about
    0.75-0.8x on two free cores (session 25: 73,655 words/s per worker against 93,872); a much lower
    figure means the workers did not have the cores, a figure this low with a slow core line means the
    machine was slow (session 24's 95 s: ~43k per worker, ~59k on one core)."""
    per_worker = words / seconds / workers if seconds > 0 else float("nan")
    return (f"extraction stage        {words / seconds if seconds > 0 else float('nan'):,.0f} words/s on {workers} "
            f"workers: {per_worker:,.0f} per worker, {per_worker / core:.2f}x the core before the run")


def layer_speed() -> dict[str, float]:
    """Words per second of the entity layer and of the time layer alone, on one core."""
    import datetime as dt

    from pipelines.text.entities import find_entities
    from pipelines.text.normalise import normalise, word_count
    from pipelines.text.segment import segment
    from pipelines.text.timex import find_time_expressions

    texts = [normalise(t) for t in corpus_sources()]
    layouts = [segment(t) for t in texts]
    words = sum(word_count(t) for t in texts)
    published = dt.date(2016, 6, 1)
    find_entities(texts[0], layouts[0])  # load lexicons and word lists once
    find_time_expressions(texts[0], published)
    started = time.perf_counter()
    for text, layout in zip(texts, layouts, strict=True):
        find_entities(text, layout)
    entities = words / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in texts:
        find_time_expressions(text, published)
    return {"entities": entities, "timex": words / (time.perf_counter() - started), "words": words}


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
    ap.add_argument("--layers", action="store_true", help="time only the entity and time-expression layers")
    ap.add_argument("--core-speed", type=int, metavar="WORKERS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.core_speed:
        print(core_speed(args.core_speed))
        return 0
    if args.layers:
        speed = layer_speed()
        print(f"layers words={speed['words']} entities_words_per_s={speed['entities']:.0f} "
              f"timex_words_per_s={speed['timex']:.0f}")
        return 0
    if args.run_once:
        print(json.dumps(run_pipeline(Path(args.run_once[0]), Path(args.run_once[1]))))
        return 0

    # the machine's speed when the run starts: the full refresh is ~70 % extraction, so a figure is
    # read against this line (the same code measured 86k and 59k words/s on one core at two times)
    core_before = core_speed_fresh(1)
    print(f"extraction core before the run: {core_before:,.0f} words/s on 1 core (fresh process)", flush=True)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="claims-bench-"))
    seeds, warehouse = work / "seeds", work / "warehouse" / "claims.sqlite"
    print(f"building a corpus of {args.articles} articles in {seeds} ...", flush=True)
    words = make_corpus(seeds, args.articles)
    print(f"{words:,} words; running the pipeline (full refresh) ...", flush=True)
    full = scenario(seeds, warehouse)
    ones = []
    for k in range(SMALL_RUNS):  # one new article each time
        make_corpus(seeds, 1, offset=args.articles + k)
        ones.append(scenario(seeds, warehouse))
    one_more = _median_run(ones)
    unchanged_runs = [scenario(seeds, warehouse) for _ in range(SMALL_RUNS)]
    unchanged = _median_run(unchanged_runs)
    offset = args.articles + SMALL_RUNS
    make_corpus(seeds, 1, offset=offset)
    sensor_s = sensor_style_run(seeds, warehouse)
    make_corpus(seeds, 1, offset=offset + 1)
    cli_s = cli_run(seeds, warehouse)
    try:
        daemon = daemon_drop(seeds, warehouse, offset=offset + 2)
    except SystemExit as exc:  # the other rows still count
        print(f"daemon row failed: {exc}", flush=True)
        daemon = {"seconds": float("nan"), "worst": float("nan"), "each": [], "run_seconds": float("nan")}
    baseline = None
    if args.memory_baseline:
        bseeds, bwh = work / "baseline" / "seeds", work / "baseline" / "warehouse" / "claims.sqlite"
        make_corpus(bseeds, args.memory_baseline)
        baseline = scenario(bseeds, bwh)
    one_core = core_speed_fresh(1)
    all_cores = core_speed_fresh(os.cpu_count() or 1)

    print()
    print(f"{'stage':<22}{'seconds':>10}")
    for stage, secs in full["stages"].items():
        print(f"{stage:<22}{secs:>10.2f}")
    print(f"{'full refresh (run)':<22}{full['seconds_run']:>10.2f}   start-up: {full['seconds'] - full['seconds_run']:.2f}s")
    print(extraction_line(words, full["stages"]["segment+extract"], os.cpu_count() or 1, core_before))
    print()
    print(f"articles/s              {args.articles / full['seconds_run']:,.1f}")
    print(f"words/s (end to end)    {words / full['seconds_run']:,.0f}")
    print(f"peak memory             {full['peak_rss_mb']:,.0f} MB")
    print(f"lake data size          {full['warehouse_mb']:,.1f} MB")
    print(f"one new article         {one_more['seconds_run']:.2f}s beyond start-up, median of {_each(ones)} (analysed "
          f"{one_more['analysed']}, partitions {one_more['partitions']})")
    print(f"nothing changed         {unchanged['seconds_run']:.2f}s beyond start-up, median of {_each(unchanged_runs)} "
          f"(analysed {unchanged['analysed']})")
    print(f"sensor-style run        {sensor_s:.2f}s for one new article, new process (CLI: {cli_s:.2f}s, "
          f"ratio {sensor_s / cli_s:.2f})")
    print(f"dropped into seeds/     {daemon['seconds']:.2f}s until queryable on average, {daemon['worst']:.2f}s at worst, "
          f"dagster-daemon running the sensor (dropped {', '.join(f'{p:g}' for p in DROP_PHASES_S)} s after a tick: "
          f"{', '.join(f'{w:.2f}' for w in daemon['each'])} s; the last run: {daemon['run_seconds']:.2f}s)")
    ratio = None
    if baseline:
        ratio = full["peak_rss_mb"] / baseline["peak_rss_mb"]
        print(f"peak memory at {args.memory_baseline:<8} {baseline['peak_rss_mb']:,.0f} MB (ratio {ratio:.2f})")
    print(f"extraction core         {one_core:,.0f} words/s on 1 core, {all_cores:,.0f} on {os.cpu_count()} "
          f"({all_cores / one_core:.2f}x), each in a fresh process; {core_before:,.0f} on 1 core before the run")
    import bench_scaling  # time per character at 100 KB and 1 MB: every scan over text linear

    bench_scaling.report()
    print(f"bench articles={args.articles} seconds={full['seconds_run']:.1f} "
          f"articles_per_min={args.articles / full['seconds_run'] * 60:.0f} words_per_s={words / full['seconds_run']:.0f} "
          f"peak_rss_mb={full['peak_rss_mb']:.0f} one_new_s={one_more['seconds_run']:.2f} "
          f"unchanged_s={unchanged['seconds_run']:.2f} memory_ratio={ratio if ratio is None else round(ratio, 2)} "
          f"sensor_s={sensor_s:.1f} cli_s={cli_s:.1f} daemon_drop_s={daemon['seconds']:.1f} daemon_drop_worst_s={daemon['worst']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
