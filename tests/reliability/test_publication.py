"""One commit for everything users read: a full disk at any point of a build and concurrent builds
never leave the lake with exports or pages that do not follow it once a build or a reader has
been by; what a build changes is written, nothing else (kills at the same points:
test_crash_and_readers.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines import faults, validate
from pipelines.__main__ import main as cli_main
from pipelines.defs.run import materialise
from pipelines.settings import paths
from pipelines.store import exports, lake, publication
from tests.conftest import SEED
from tests.reliability import readers

REPO = Path(__file__).resolve().parents[2]
EXTRA = "Late article {n}\n\n“It is not over,” the coach said after game {n}. Fans left early.\n"
# where a full disk hits a build: staging, the exports, the publication record, the commit, the move into
# exports/ and the pages (the last two after the commit)
DISK_FULL_AT = ("parquet_write", "export_write", "publish", "lake_commit", "mirror", "page_write")
AFTER_COMMIT = {"mirror", "page_write"}



def test_a_full_disk_anywhere_leaves_one_snapshot_and_the_next_build_completes(built, monkeypatch):
    seeds, warehouse = built
    for i, point in enumerate(DISK_FULL_AT):
        (seeds / f"late-{i}.txt").write_text(EXTRA.format(n=i))
        before = readers.lake_snapshot(warehouse)
        monkeypatch.setenv("CLAIMS_DISK_FULL_AT", point)
        assert not materialise(seeds, warehouse).success, point  # the build fails, loudly
        monkeypatch.delenv("CLAIMS_DISK_FULL_AT")
        # the lake is at the old snapshot (or, a full disk after the commit, the new one)
        assert readers.lake_snapshot(warehouse) == before + (point in AFTER_COMMIT), point
        if point in AFTER_COMMIT:  # exports/ is behind the lake until a reader or a build finishes the move
            assert cli_main(["--warehouse", str(warehouse), "versions"]) == 0
        # readers see the lake's exports, manifest and pages, never a mix
        readers.assert_reader_sees_one_snapshot(warehouse)
        assert readers.assert_stable_paths_whole(warehouse) == readers.lake_snapshot(warehouse), point
        # what the failed build staged is gone at once: the space is given back
        readers.assert_no_leftovers(warehouse, staged=False)
    assert materialise(seeds, warehouse).success
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_stable_paths_follow(warehouse)
    readers.assert_no_leftovers(warehouse, staged=False)  # the failed runs' staging: their process is this one
    pub = publication.current(paths(None, warehouse))
    assert next(e["rows"] for e in pub.manifest["tables"] if e["table"] == "articles") == 2 + len(DISK_FULL_AT)


def build(seeds: Path, warehouse: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMS_")}
    cmd = [sys.executable, "-m", "pipelines", "--warehouse", str(warehouse), "build", "--seeds", str(seeds),
           "--ephemeral", "--log-level", "ERROR"]
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_concurrent_builds_never_delete_each_others_files(built):
    """Two builds at once on one warehouse, each adding articles: both finish, one after the other
    in the lake, and what readers see at the end is whole."""
    seeds, warehouse = built
    for i in range(3):
        (seeds / f"late-{i}.txt").write_text(EXTRA.format(n=i))
    first, second = build(seeds, warehouse), build(seeds, warehouse)
    out = [proc.communicate(timeout=600)[0] for proc in (first, second)]
    print(*out, sep="\n")  # whole, in the report of a failure (an assertion message is cut short)
    assert (first.returncode, second.returncode) == (0, 0)
    pub = readers.assert_reader_sees_one_snapshot(warehouse)
    assert next(e["rows"] for e in pub.manifest["tables"] if e["table"] == "articles") == 5
    readers.assert_stable_paths_follow(warehouse)
    readers.assert_no_leftovers(warehouse)


def test_staging_of_a_live_build_is_kept_and_of_a_dead_one_removed(built):
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = publication.root(p) / f"20990101T000000-{live.pid}-aaaaaa"  # a build writing, not committed yet
        mine.mkdir()
        (mine / "claims.parquet").write_bytes(b"half")
        dead = publication.root(p) / "20990101T000000-999999999-bbbbbb"  # a build killed before its commit
        dead.mkdir()
        assert publication.clear_leftovers(p) == [dead.name]
        assert mine.is_dir()
    finally:
        live.kill()
        live.wait()
    assert publication.clear_leftovers(p) == [mine.name]  # once its owner is dead it is a leftover


def test_a_removed_articles_page_goes_with_it_and_the_others_stay(built):
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    store = p.exports / "html" / "articles"
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    assert materialise(seeds, warehouse).success
    con = lake.connect(p, read_only=True)
    late = con.execute("SELECT article_id FROM articles WHERE source_path = 'late.txt'").fetchone()[0]
    con.close()
    assert (store / f"{late}.html").is_file()
    others = {f.name: f.stat().st_ino for f in store.glob("*.html") if f.stem != late}
    (seeds / "late.txt").unlink()
    assert materialise(seeds, warehouse).success
    assert not (store / f"{late}.html").exists()
    assert {f.name: f.stat().st_ino for f in store.glob("*.html")} == others and len(others) == 2
    readers.assert_reader_sees_one_snapshot(warehouse)


def test_a_commit_retried_after_a_conflict_publishes_once_and_leaves_no_staging(built, monkeypatch):
    """The lake retries a commit that lost to a concurrent one, and the build stages again: what the
    lost attempt staged goes, the retry's publication is moved in whole."""
    seeds, warehouse = built
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    real, conflicts = faults.crash_point, []

    def conflict_once(name: str) -> None:
        if name == "lake_commit" and not conflicts:
            conflicts.append(name)
            raise duckdb.TransactionException("write-write conflict (injected)")
        real(name)

    monkeypatch.setattr(faults, "crash_point", conflict_once)
    assert materialise(seeds, warehouse).success and conflicts
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_stable_paths_follow(warehouse)
    readers.assert_no_leftovers(warehouse, staged=False)


def test_a_build_interrupted_right_after_its_commit_keeps_what_it_staged_for_the_move(built, monkeypatch):
    """An interrupt (or a catalog error) between the commit and reading what it recorded: the staging
    folder the lake now names is not taken for a lost attempt, and a read command finishes the move."""
    seeds, warehouse = built
    real = lake.commit

    def interrupted(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("interrupted right after the commit (injected)")

    monkeypatch.setattr(lake, "commit", interrupted)
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    before = readers.lake_snapshot(warehouse)
    assert not materialise(seeds, warehouse).success
    monkeypatch.setattr(lake, "commit", real)
    p = paths(seeds, warehouse)
    pub = publication.current(p)
    assert readers.lake_snapshot(warehouse) == pub.snapshot_id == before + 1 and not publication.in_step(p, pub)
    assert (publication.root(p) / pub.name).is_dir()
    assert cli_main(["--warehouse", str(warehouse), "versions"]) == 0
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_no_leftovers(warehouse, staged=False)


def test_a_page_that_fails_after_the_commit_does_not_stop_the_builds_that_follow(built, monkeypatch):
    """An article whose page cannot be rendered fails its build after the commit; the next build (which
    removes it) is not stopped by the move it cannot finish, and makes every page again."""
    from pipelines.report import publish

    seeds, warehouse = built
    real = publish.article_page

    def fragile(article, *rest):
        if article["title"].startswith("Unrenderable"):
            raise ValueError("cannot render (injected)")
        return real(article, *rest)

    monkeypatch.setattr(publish, "article_page", fragile)
    (seeds / "odd.txt").write_text("Unrenderable\n\n“It is not over,” the coach said. Fans left early.\n")
    assert not materialise(seeds, warehouse).success
    (seeds / "odd.txt").unlink()
    assert materialise(seeds, warehouse).success
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_stable_paths_follow(warehouse)
    readers.assert_no_leftovers(warehouse, staged=False)


def test_a_warehouse_of_the_layout_with_a_linked_exports_folder_is_published_into_a_real_one(built):
    """Sessions 24-28 kept `exports` as a symbolic link to `publications/<name>` and article pages in
    `pages/`: the next build replaces the link by a folder and removes the old ones."""
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    old = warehouse.parent / "publications" / "20260101T000000-1-abcdef"
    old.parent.mkdir()
    os.replace(p.exports, old)
    (old / "html" / publication.PAGES_OF).unlink()  # the old layout had no such mark
    stamp = warehouse.parent / "pages" / "0123456789abcdef"
    stamp.parent.mkdir()
    os.replace(old / "html" / "articles", stamp)
    os.symlink(os.path.relpath(stamp, old / "html"), old / "html" / "articles")
    os.symlink(f"publications/{old.name}", p.exports)
    assert materialise(seeds, warehouse).success
    assert p.exports.is_dir() and not p.exports.is_symlink()
    assert not (warehouse.parent / "publications").exists() and not (warehouse.parent / "pages").exists()
    readers.assert_reader_sees_one_snapshot(warehouse)
    readers.assert_stable_paths_follow(warehouse)


def files(folder: Path) -> dict[str, int]:
    """Every file under `folder` (relative name) with its inode: a file written again has a new one."""
    return {str(f.relative_to(folder)): f.stat().st_ino for f in folder.rglob("*") if f.is_file()}


def test_unchanged_tables_and_pages_are_left_as_they_are(built):
    """One new article: only the part of each table it falls in is written again; every other part,
    the pages of the other articles and of people not in it stay the same files."""
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    before = files(p.exports)
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    assert materialise(seeds, warehouse).success
    after = files(p.exports)
    same = lambda name: before.get(name) == after.get(name)  # noqa: E731
    con = lake.connect(p, read_only=True)
    new_id = con.execute("SELECT article_id FROM articles WHERE source_path = 'late.txt'").fetchone()[0]
    con.close()
    changed = exports.part_of(new_id)
    for table in ("articles", "claims", "sentences"):
        for k in range(exports.PARTS):
            assert same(exports.part_file(table, k)) == (k != changed), (table, k)
    for k in range(exports.PARTS):  # no ingest error changed: the table is replaced whole, its files are kept
        assert same(exports.part_file("ingest_errors", k)), k
    articles = [n for n in before if n.startswith("html/articles/")]
    assert articles and all(same(n) for n in articles) and f"html/articles/{new_id}.html" in after
    # people not in the new article keep their page; the dashboard and the new article's list part change
    people = [n for n in before if n.startswith("html/people/") and not n.endswith("index.html")]
    assert people and [n for n in people if same(n)] and not same("html/index.html")
    for k in range(exports.PARTS):
        assert same(f"html/list/part-{k:02d}.js") == (k != changed), k
    assert not (warehouse.parent / "exports").is_symlink() and not [n for n in after if os.path.islink(p.exports / n)]
    assert cli_main(["--warehouse", str(warehouse), "check"]) == 0


def test_entity_parts_are_written_again_only_where_an_entity_row_changes(built):
    """`entities` folds every article's entity rows into one row per entity: a new article naming
    only entities the lake has leaves every part of it as it was; one naming a new entity writes
    that entity's part again and leaves the others."""
    seeds, warehouse = built
    p = paths(seeds, warehouse)

    def entity_ids() -> set[str]:
        con = lake.connect(p, read_only=True)
        try:
            return {r[0] for r in con.execute("SELECT entity_id FROM entities").fetchall()}
        finally:
            con.close()

    def inodes() -> list[int]:
        return [os.stat(p.exports / exports.part_file("entities", k)).st_ino for k in range(exports.PARTS)]

    def kept(a: list[int], b: list[int]) -> set[int]:
        return {k for k in range(exports.PARTS) if a[k] == b[k]}

    first, known = inodes(), entity_ids()
    (seeds / "again.txt").write_text(SEED.read_text(encoding="utf-8").rstrip() + "\n\nThe day ended quietly.\n")
    assert materialise(seeds, warehouse).success
    second = inodes()
    assert entity_ids() == known and known
    assert kept(first, second) == set(range(exports.PARTS))
    (seeds / "newcomer.txt").write_text("Harbour vote\n\n“We will reopen the quay in May,” said Mirela Kovacs, "
                                        "the chair of the Tarnhaven Harbour Authority.\n")
    assert materialise(seeds, warehouse).success
    third = inodes()
    new = entity_ids() - known
    assert new
    assert kept(second, third) == set(range(exports.PARTS)) - {exports.part_of(e) for e in new}
    assert cli_main(["--warehouse", str(warehouse), "check"]) == 0


def failure_message(result) -> str:
    return " ".join(e.step_failure_data.error.to_string() for e in result.all_events if e.is_step_failure)


def test_a_row_broken_in_an_untouched_partition_is_found_and_not_published(built):
    """The cross-table rules run over every row of the snapshot being committed, not only the new
    partition's: a claim whose sentence is gone, in a partition this build does not touch, stops
    the commit, and readers keep what they had."""
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    con = lake.connect(p, read_only=False)
    con.execute("BEGIN")
    con.execute("UPDATE claims SET sentence_id = 'gone:0' WHERE claim_id = (SELECT min(claim_id) FROM claims "
                "JOIN articles USING (article_id) WHERE source_path = ?)", [SEED.name])
    con.execute("COMMIT")  # a change that did not come through a build (a repair by hand, another tool)
    broken = lake.current_snapshot(con)
    con.close()
    published = publication.current(p)
    new = next(f"late-{i}.txt" for i in range(64) if lake.bucket_of(f"late-{i}.txt") != lake.bucket_of(SEED.name))
    (seeds / new).write_text(EXTRA.format(n=1))
    result = materialise(seeds, warehouse)
    assert not result.success
    assert "sentence_id found in sentences" in failure_message(result) and "gone:0" in failure_message(result)
    assert readers.lake_snapshot(warehouse) == broken and publication.current(p) == published
    assert cli_main(["--warehouse", str(warehouse), "check"]) == 1  # the whole-snapshot check finds it too


def test_a_commit_whose_check_fails_leaves_nothing_staged(built, monkeypatch):
    """A broken rule found by a small commit's scoped check refuses the commit: the lake and exports/
    stay as they were, and the parts it staged go."""
    seeds, warehouse = built
    p = paths(seeds, warehouse)
    before, published, held = readers.lake_snapshot(warehouse), publication.current(p), files(p.exports)
    real, seen = validate.check_snapshot, []

    def broken(con, scope=None):
        real(con, scope)
        seen.append(scope)
        if scope is not None:
            raise validate.IntegrityError([validate.Problem("claims", "key unique", 1, "(made up)")])

    monkeypatch.setattr(validate, "check_snapshot", broken)
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    result = materialise(seeds, warehouse)
    assert not result.success and "key unique" in failure_message(result)
    assert seen and seen[-1] is not None and len(seen[-1].articles) <= publication.SMALL_COMMIT
    assert readers.lake_snapshot(warehouse) == before and publication.current(p) == published
    assert files(p.exports) == held and not [f for f in publication.root(p).iterdir() if f.is_dir()]


def test_the_cli_says_whether_a_failed_build_committed(built):
    """A full disk while the committed publication is moved into exports/: the CLI does not claim the
    lake kept its previous snapshot."""
    seeds, warehouse = built
    (seeds / "late.txt").write_text(EXTRA.format(n=1))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CLAIMS_")}, "CLAIMS_DISK_FULL_AT": "mirror"}
    cmd = [sys.executable, "-m", "pipelines", "--warehouse", str(warehouse), "build", "--seeds", str(seeds),
           "--ephemeral", "--log-level", "ERROR", "--no-progress"]
    run = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert f"committed snapshot {readers.lake_snapshot(warehouse)}" in run.stderr
    assert "still holds its previous snapshot" not in run.stderr
