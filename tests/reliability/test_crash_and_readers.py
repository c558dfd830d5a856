"""Crash safety, concurrent readers and idempotency of whole builds on the lake."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl

from pipelines.__main__ import main
from pipelines.defs.run import materialise
from pipelines.faults import POINTS, STEPS
from pipelines.schemas import SCHEMAS
from pipelines.settings import paths
from pipelines.store import exports, lake
from tests.reliability import readers

REPO = Path(__file__).resolve().parents[2]
EXTRA = "Late article\n\n“It is not over,” the coach said on Sunday. Fans left early.\n"
KILLED = -signal.SIGKILL
# a kill at these points leaves the previous snapshot: the exports are staged before the commit
BEFORE_COMMIT = {"parquet_write", "lake_commit", "export_write", "publish", "step:ingest", "step:extract",
                 "step:checks", "step:claims_lake"}
# a kill at these points leaves exports/ behind the lake: committed, the staged parts not (all) moved in
BEHIND = {"mirror", "page_write"}


def build_in_process(seeds: Path, warehouse: Path) -> None:
    assert materialise(seeds, warehouse).success


def build_subprocess(seeds: Path, warehouse: Path, crash_at: str | None = None, home: Path | None = None) -> int:
    env = {**os.environ, "CLAIMS_CRASH_AT": crash_at or ""}
    env.pop("CLAIMS_SEEDS", None)
    cmd = [sys.executable, "-m", "pipelines", "--warehouse", str(warehouse), "build", "--seeds", str(seeds),
           "--log-level", "ERROR"]
    if home is None:
        cmd.append("--ephemeral")
    else:  # this repository's Dagster instance settings: a dead run must not hold anything the next one waits for
        shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
        env.update({"DAGSTER_HOME": str(home), "CLAIMS_DAGSTER_DIR": str(home / ".dagster")})
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=300).returncode


def counts(warehouse: Path) -> dict:
    """Row counts of every table, read the way a user would."""
    con = lake.connect(paths(None, warehouse), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SCHEMAS}
    finally:
        con.close()


exports_consistent = readers.exports_consistent



def test_a_build_killed_anywhere_never_blocks_or_corrupts_what_follows(built, tmp_path):
    """SIGKILL inside every step and at every commit point, one after the other on the same
    Dagster instance: each next build gets past what the dead one left, the lake always holds a
    whole snapshot, and a normal build at the end completes with everything consistent."""
    seeds, warehouse = built
    home = tmp_path / "dagster-home"
    home.mkdir()
    articles = counts(warehouse)["articles"]
    for i, point in enumerate(STEPS + POINTS):
        (seeds / f"late-{i}.txt").write_text(EXTRA.replace("Sunday", f"day {i}"))
        assert build_subprocess(seeds, warehouse, crash_at=point, home=home) == KILLED, point  # killed where asked
        now = counts(warehouse)["articles"]
        # the lake holds the previous snapshot or the next one, whole
        assert now == (articles if point in BEFORE_COMMIT else 2 + i + 1), point
        if point == "mirror":  # killed before moving anything in: exports/ is the previous publication, whole
            assert readers.assert_stable_paths_whole(warehouse) < readers.lake_snapshot(warehouse)
        if point in BEHIND:  # any read command (or the next build) finishes the move
            assert main(["--warehouse", str(warehouse), "versions"]) == 0
        # and readers see its exports, manifest and pages, whichever it is
        pub = readers.assert_reader_sees_one_snapshot(warehouse)
        assert next(e["rows"] for e in pub.manifest["tables"] if e["table"] == "articles") == now, point
        assert readers.assert_stable_paths_whole(warehouse) == pub.snapshot_id, point
        articles = now
    assert build_subprocess(seeds, warehouse, home=home) == 0  # nothing a dead run held blocks this one
    assert counts(warehouse)["articles"] == 2 + len(STEPS + POINTS)
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_stable_paths_follow(warehouse)  # exports/<table>/*.parquet, manifest.json and html/ too
    readers.assert_no_leftovers(warehouse)  # what the killed runs staged or half-published is cleared


READER = """
import sys
from pipelines.settings import paths
from pipelines.store import lake
con = lake.connect(paths(None, sys.argv[1]), read_only=True)
for line in sys.stdin:  # one count per line read, on the same open connection
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    bad = con.execute("SELECT count(*) FROM claims WHERE article_id NOT IN (SELECT article_id FROM articles)").fetchone()[0]
    print(n, bad, flush=True)
"""


def test_reader_is_never_blocked_and_never_sees_half_a_build(built):
    seeds, warehouse = built
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse)], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        reader.stdin.write("\n")
        reader.stdin.flush()
        before, orphans = map(int, reader.stdout.readline().split())
        (seeds / "late.txt").write_text(EXTRA)
        build_in_process(seeds, warehouse)  # would raise or hang if the reader's open connection were in the way
        reader.stdin.write("\n")
        reader.stdin.flush()
        # the open connection reads whole snapshots: the new one once it is committed, never a mix
        after, orphans_after = map(int, reader.stdout.readline().split())
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert (after, orphans, orphans_after) == (before + 1, 0, 0)
    assert counts(warehouse)["articles"] == before + 1


def test_damaged_export_is_rebuilt_from_the_lake_never_re_blessed(built):
    seeds, warehouse = built
    exports = warehouse.parent / "exports"
    manifest = json.loads((exports / "manifest.json").read_text())
    claims = next(e for e in manifest["tables"] if e["table"] == "claims")
    target = exports / next(p["file"] for p in claims["parts"] if p["rows"])
    data = bytearray(target.read_bytes())
    data[100:164] = bytes(64)  # 64 bytes corrupted in place
    target.write_bytes(bytes(data))
    build_in_process(seeds, warehouse)
    assert json.loads((exports / "manifest.json").read_text())["tables"] == manifest["tables"]
    assert exports_consistent(exports)


def test_two_builds_of_the_same_input_are_identical(tmp_path, built):
    seeds, first = built
    second = tmp_path / "again" / "claims.sqlite"
    build_in_process(seeds, second)
    timestamps = {"articles": ["ingested_at"], "ingest_errors": ["seen_at"]}
    for table in SCHEMAS:
        for a in sorted((first.parent / "exports" / table).glob("*.parquet")):
            b = second.parent / "exports" / table / a.name
            if table in timestamps:  # when it was ingested differs between two fresh builds, nothing else
                assert pl.read_parquet(a).drop(timestamps[table]).equals(pl.read_parquet(b).drop(timestamps[table]))
            else:
                assert a.read_bytes() == b.read_bytes(), a
    # and a rerun on the same warehouse changes no byte and makes no snapshot
    files = lambda root: {str(p.relative_to(root)): p.read_bytes() for p in root.glob("*/*.parquet")}  # noqa: E731
    before = files(first.parent / "exports")
    con = lake.connect(paths(None, first))
    snapshot = lake.current_snapshot(con)
    con.close()
    build_in_process(seeds, first)
    assert files(first.parent / "exports") == before and len(before) == len(SCHEMAS) * exports.PARTS
    con = lake.connect(paths(None, first))
    assert lake.current_snapshot(con) == snapshot
    con.close()
