"""The benchmark's extraction-stage line: words per second per worker, read against the core's speed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench  # noqa: E402


def test_extraction_stage_is_read_per_worker_against_the_core():
    line = bench.extraction_line(8_000_000, 50.0, 2, 100_000.0)
    assert "160,000 words/s on 2 workers" in line
    assert "80,000 per worker, 0.80x the core before the run" in line


def test_the_small_rows_are_the_median_run_and_list_every_run():
    runs = [{"seconds_run": s} for s in (2.6, 2.2, 2.3)]
    assert bench._median_run(runs)["seconds_run"] == 2.3
    assert bench._each(runs) == "2.60, 2.20, 2.30"
