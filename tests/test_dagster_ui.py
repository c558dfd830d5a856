"""What the Dagster UI shows and leaves behind: described schedule and sensor, no UI state in git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.defs.automation import daily_refresh, seeds_changed

REPO = Path(__file__).resolve().parent.parent


def test_schedule_and_sensor_are_described():
    for definition in (daily_refresh, seeds_changed):
        assert definition.description and len(definition.description.split()) >= 5, definition.name


def test_ui_state_written_into_the_checkout_is_ignored_by_git():
    if not shutil.which("git") or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    for path in (".nux/nux.yaml", ".dagster/runs.db"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
        assert ignored.returncode == 0, f"{path} would be committed"
