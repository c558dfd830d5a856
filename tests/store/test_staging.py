"""Run folders in staging: each has its owner from the moment it has its name."""

import os
import subprocess
import sys

from pipelines.store import staging


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_run_folder_is_never_seen_without_its_owner(tmp_path):
    folder = staging.run_dir(tmp_path, "abc")
    assert (folder / staging.OWNER).read_text() == str(os.getpid())
    assert staging.run_dir(tmp_path, "abc") == folder  # a later step of the same run finds it
    assert not list(tmp_path.glob(".run-*"))
    assert staging.clear_dead(tmp_path) == 0 and folder.is_dir()


def test_dead_runs_and_interrupted_folders_are_cleared(tmp_path):
    dead = _dead_pid()
    half = tmp_path / f".run-xyz.{dead}.tmp"  # killed between making the folder and naming it
    half.mkdir()
    old = tmp_path / "run-old"
    old.mkdir()
    (old / staging.OWNER).write_text(str(dead))
    live = staging.run_dir(tmp_path, "live")
    assert staging.clear_dead(tmp_path) == 1
    assert not half.exists() and not old.exists() and live.is_dir()
