"""A warehouse folder copied or moved elsewhere is a warehouse of its own: it reads and writes the
files beside its catalog, never those of the folder it came from."""

from __future__ import annotations

import shutil

from pipelines.__main__ import main as cli_main
from pipelines.defs.run import materialise
from pipelines.settings import paths
from pipelines.store import lake

LATE = "Late news\n\n“We are not done yet,” the coach said on Sunday. Fans stayed.\n"


def test_a_moved_warehouse_reads_and_builds_its_own_files(tmp_path, seeds_dir, capsys):
    first, moved = tmp_path / "first", tmp_path / "moved"
    assert materialise(seeds_dir, first / "claims.sqlite").success
    shutil.copytree(first, moved, symlinks=True)
    shutil.rmtree(first)  # the folder the lake was made in is gone
    wh = moved / "claims.sqlite"
    assert cli_main(["--warehouse", str(wh), "query", "SELECT count(*) AS n, sum(length(text)) AS chars FROM claims",
                     "--format", "csv"]) == 0
    n, chars = capsys.readouterr().out.strip().splitlines()[-1].split(",")
    assert int(n) > 0 and int(chars) > 0  # the claims' text read from the copy's data files
    (seeds_dir / "late.txt").write_text(LATE, encoding="utf-8")
    assert materialise(seeds_dir, wh).success
    con = lake.connect(paths(seeds_dir, wh), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles WHERE source_path = 'late.txt'").fetchone()[0] == 1
        files = [r[0] for r in con.execute("SELECT data_file FROM ducklake_list_files('lake', 'claims')").fetchall()]
    finally:
        con.close()
    assert files and all(f.startswith(str(moved)) for f in files)
    assert not first.exists()
