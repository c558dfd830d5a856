"""The command line as a user meets it: options anywhere, `show` by any reasonable reference, output
formats without pyarrow, quiet broken pipes, hints that run, a progress bar on bigger builds."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.cli import progress
from tests.conftest import SAMPLE_ARTICLE

REPO = Path(__file__).resolve().parent.parent
TOWNS = ["Ashford", "Bexley", "Carlisle", "Dover", "Exeter", "Frome", "Goole", "Hythe", "Ilford", "Jarrow",
         "Kendal", "Luton", "Marlow", "Newark", "Oakham", "Penrith", "Quorn", "Ripon", "Selby", "Thirsk"]


def _article(town: str, i: int) -> str:
    return (f"{town} council delays library budget\n\n"
            f"The council in {town} postponed its library budget vote on Monday for the {i + 2}th time.\n\n"
            f"“We need more time to read the figures,” said councillor Ann Peters. Residents said the delay was costly.\n")


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory):
    """A warehouse built by the CLI in a subprocess from 21 small articles; returns (warehouse, seeds, result)."""
    root = tmp_path_factory.mktemp("cli")
    seeds = root / "seeds"
    (seeds / "towns").mkdir(parents=True)
    (seeds / "harbour.txt").write_text(SAMPLE_ARTICLE, encoding="utf-8")
    for i, town in enumerate(TOWNS):
        (seeds / "towns" / f"{town.lower()}.txt").write_text(_article(town, i), encoding="utf-8")
    wh = root / "wh" / "claims.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMS_SEEDS", "CLAIMS_WAREHOUSE")}
    result = subprocess.run([sys.executable, "-m", "pipelines", "build", "--seeds", str(seeds), "--ephemeral",
                             "--warehouse", str(wh)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return wh, seeds, result


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_options_before_or_after_the_command(cli_build, capsys):
    wh = str(cli_build[0])
    sql = "SELECT count(*) AS n FROM articles"
    for argv in (["--warehouse", wh, "query", sql], ["query", "--warehouse", wh, sql], ["query", sql, "--warehouse", wh]):
        code, out, _ = run_cli(capsys, *argv)
        assert code == 0 and "21" in out, argv


def test_csv_and_json_without_pyarrow_or_pandas(cli_build, capsys, monkeypatch):
    for blocked in ("pyarrow", "pandas"):
        monkeypatch.setitem(sys.modules, blocked, None)  # importing them now fails, as on a fresh clone
    wh = str(cli_build[0])
    sql = "SELECT source_path, published_on, n_words FROM articles ORDER BY source_path"
    code, out, err = run_cli(capsys, "query", sql, "--format", "csv", "--warehouse", wh)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 21 and rows[0]["source_path"] == "harbour.txt" and int(rows[0]["n_words"]) > 50
    code, out, err = run_cli(capsys, "query", sql + " LIMIT 3", "--format", "json", "--warehouse", wh)
    assert code == 0, err
    data = json.loads(out)
    assert [r["source_path"] for r in data] == [r["source_path"] for r in rows[:3]]
    code, out, _ = run_cli(capsys, "query", "SELECT ['a', 'b'] AS l, DATE '2024-05-01' AS d", "--format", "json",
                           "--warehouse", wh)
    assert json.loads(out) == [{"l": ["a", "b"], "d": "2024-05-01"}]


def _article_id(wh: Path, source_path: str) -> str:
    from pipelines.__main__ import _connect  # the CLI's own way in, whatever the storage

    con = _connect(str(wh))
    try:
        return con.execute("SELECT article_id FROM articles WHERE source_path = ?", [source_path]).fetchone()[0]
    finally:
        con.close()


def test_show_by_id_prefix_path_or_title_words(cli_build, capsys, monkeypatch):
    wh, seeds, _ = cli_build
    aid = _article_id(wh, "towns/dover.txt")
    monkeypatch.chdir(seeds.parent)
    for ref in (aid[:6], "towns/dover.txt", "seeds/towns/dover.txt", "./seeds/towns/dover.txt",
                str(seeds / "towns" / "dover.txt"), "Dover", "dover council"):
        code, out, err = run_cli(capsys, "show", ref, "--warehouse", str(wh))
        assert code == 0, (ref, err)
        assert "Dover council delays library budget" in out and aid in out and "Ann Peters" in out, ref


def test_show_lists_the_candidates_when_several_match(cli_build, capsys):
    code, out, err = run_cli(capsys, "show", "library budget", "--warehouse", str(cli_build[0]))
    assert code == 1 and "20 articles match" in err
    assert "towns/ashford.txt" in err and "towns/thirsk.txt" in err and "harbour.txt" not in err


def test_show_of_nothing_is_an_error(cli_build, capsys):
    for ref in ("", "  "):
        code, out, err = run_cli(capsys, "show", ref, "--warehouse", str(cli_build[0]))
        assert code == 2 and out == "" and "empty article reference" in err
    code, _, err = run_cli(capsys, "show", "zeppelin", "--warehouse", str(cli_build[0]))
    assert code == 1 and "no article matches" in err


def test_show_of_a_file_added_after_the_build_says_to_build(cli_build, capsys, tmp_path):
    new = tmp_path / "late.txt"
    new.write_text(_article("Yarm", 30), encoding="utf-8")
    code, out, err = run_cli(capsys, "show", str(new), "--warehouse", str(cli_build[0]))
    assert code == 1 and "not in the warehouse yet" in err and " build" in err


def test_a_closed_pipe_ends_quietly(cli_build):
    wh = str(cli_build[0])
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before we write, as after `| head` has exited
    try:
        result = subprocess.run([sys.executable, "-m", "pipelines", "show", "harbour.txt", "--warehouse", wh],
                                cwd=REPO, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.returncode != 0  # but it does not pretend the output arrived


def test_build_prints_commands_that_work(cli_build):
    wh, _, result = cli_build
    hints = [line.strip() for line in result.stdout.splitlines() if " query " in line or " show " in line]
    assert len(hints) >= 4
    for line in hints:
        argv = shlex.split(line)
        assert argv[0] != "python" or Path(shutil_which("python") or "").absolute() == Path(sys.executable).absolute()
    query, show = next(h for h in hints if " query " in h), next(h for h in hints if " show " in h)
    for line in (query, show):
        ran = subprocess.run([*shlex.split(line), "--warehouse", str(wh)], cwd=REPO, capture_output=True,
                             text=True, timeout=120)
        assert ran.returncode == 0, (line, ran.stderr)
        assert ran.stdout.strip()


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def test_build_shows_a_progress_bar_with_an_eta(cli_build):
    err = cli_build[2].stderr
    assert "analysing" in err and "21/21" in err and "article/s" in err


def test_progress_bar_stays_off_for_a_few_articles_or_when_not_asked(capsys):
    progress.enable(True)
    progress.update(progress.MIN_ARTICLES - 1, progress.MIN_ARTICLES - 1)
    progress.enable(False)
    progress.update(50, 100)
    assert capsys.readouterr().err == ""


def test_search_prints_claims_with_speaker_type_and_article(cli_build, capsys):
    wh = str(cli_build[0])
    code, out, err = run_cli(capsys, "search", "figures", "--warehouse", wh, "--limit", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert len([line for line in lines if "[direct_quote] Ann Peters" in line]) == 3
    assert all("towns/" in line for line in lines if line.lstrip()[:1].isdigit())
    assert "We need more time to read the figures" in out
    # stemmed: 'postpone' finds 'postponed'; the type filter keeps only the author's assertions
    code, out, _ = run_cli(capsys, "search", "postpone", "--type", "assertion", "--warehouse", wh)
    assert code == 0 and "postponed its library budget" in out and "Ann Peters" not in out
    code, _, err = run_cli(capsys, "search", "zeppelin", "--warehouse", wh)
    assert code == 1 and "no claim or quote matches" in err
