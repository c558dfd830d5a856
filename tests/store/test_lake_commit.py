"""One build's commit: every partition's change applied at once, gone rows out before new rows in,
one data file per table (what an object store is charged for and what every reader opens)."""

from __future__ import annotations

from pipelines.defs.run import materialise
from pipelines.settings import paths
from pipelines.store import lake, publication
from tests.cluster.corpus import article

NAMES = ("a.txt", "b.txt", "d.txt", "e.txt")  # four different partitions


def _build(seeds, wh):
    result = materialise(seeds, wh)
    assert result.success
    return lake.connect(paths(seeds, wh), read_only=True)


def test_a_file_moved_to_a_partition_that_sorts_first_keeps_its_article(tmp_path, seeds_dir):
    wh = tmp_path / "wh" / "claims.sqlite"
    old, new = seeds_dir / "harbour.txt", seeds_dir / "moved.txt"
    assert lake.bucket_of(new.name) < lake.bucket_of(old.name)  # its new rows are staged in the earlier partition
    _build(seeds_dir, wh).close()
    old.rename(new)
    con = _build(seeds_dir, wh)
    assert con.execute("SELECT source_path FROM articles").fetchall() == [("moved.txt",)]
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] > 0
    con.close()


def test_a_build_of_several_partitions_writes_one_data_file_per_table(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, name in enumerate(NAMES):
        (seeds / name).write_text(article(i), encoding="utf-8")
    assert len({lake.bucket_of(n) for n in NAMES}) == len(NAMES)
    con = _build(seeds, tmp_path / "wh" / "claims.sqlite")
    for table in ("articles", "claims", "quotes", lake.PARTITIONS_TABLE):
        files = con.execute("SELECT count(*) FROM ducklake_list_files('lake', ?)", [table]).fetchone()[0]
        assert files == 1, table
    con.close()


def test_a_build_with_nothing_changed_never_opens_the_lake_for_writing(tmp_path, seeds_dir, monkeypatch):
    wh = tmp_path / "wh" / "claims.sqlite"
    _build(seeds_dir, wh).close()
    opened = []
    connect = lake.connect
    monkeypatch.setattr(lake, "connect", lambda p, read_only=True, snapshot=None: opened.append(read_only)
                        or connect(p, read_only, snapshot))
    con = connect(paths(seeds_dir, wh))
    before = lake.current_snapshot(con)
    con.close()
    assert materialise(seeds_dir, wh).success
    assert opened and all(opened)  # read-only connections only
    (seeds_dir / "late.txt").write_text("Late news\n\n“We are ready,” the mayor said on Monday.\n")
    opened.clear()
    con = _build(seeds_dir, wh)
    assert False in opened and lake.current_snapshot(con) == before + 1
    con.close()


def test_a_build_reads_the_lake_on_one_connection_and_sees_its_own_commit(tmp_path, seeds_dir, monkeypatch):
    """Planning, ingest, extraction, pointing `exports/` and the pages step share one read-only
    connection (`lake.shared_reader`), and what it reads after the commit is the new snapshot."""
    wh = tmp_path / "wh" / "claims.sqlite"
    _build(seeds_dir, wh).close()
    opened = []
    connect = lake.connect
    monkeypatch.setattr(lake, "connect", lambda p, read_only=True, snapshot=None: opened.append(read_only)
                        or connect(p, read_only, snapshot))
    (seeds_dir / "late.txt").write_text("Late news\n\n“We are ready,” the mayor said on Monday.\n")
    assert materialise(seeds_dir, wh).success
    assert sorted(opened) == [False, True]  # the commit's writer, and one reader for everything else
    p = paths(seeds_dir, wh)
    con = connect(p)
    try:
        snapshot = lake.current_snapshot(con)
    finally:
        con.close()
    assert publication.current(p).snapshot_id == snapshot
    assert publication.in_step(p, publication.current(p))  # exports/ holds the new publication


def test_the_lake_holds_only_the_articles_a_build_committed(tmp_path, seeds_dir):
    wh = tmp_path / "wh" / "claims.sqlite"
    con = _build(seeds_dir, wh)
    ids = [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    assert ids and lake.held(con, [*ids, "0123456789abcdef"]) == set(ids)
    assert lake.held(con, []) == set()
    con.close()


def test_what_is_published_is_read_again_once_the_lake_moves_on(tmp_path, seeds_dir):
    wh = tmp_path / "wh" / "claims.sqlite"
    _build(seeds_dir, wh).close()
    p = paths(seeds_dir, wh)
    with lake.shared_reader(p):
        before, _ = lake.published_state(p)
        assert lake.published_state(p)[0] is before  # the same snapshot: kept
        (seeds_dir / "late.txt").write_text("Late news\n\n“We are ready,” the mayor said on Monday.\n")
        assert materialise(seeds_dir, wh).success  # another connection commits
        after, _ = lake.published_state(p)
    paths_after = {path for arts in after.values() for _, path in arts}
    assert "late.txt" in paths_after and paths_after > {path for arts in before.values() for _, path in arts}
