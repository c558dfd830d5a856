"""A progress bar with an ETA for builds of more than a few articles (tqdm, on stderr).

The asset reports `update(done, total)` as chunks finish; the bar shows only when the CLI enabled
it (`enable()`), so Dagster runs from the UI or the sensor log as before.
"""

from __future__ import annotations

import sys
import time

MIN_ARTICLES = 20  # fewer new articles than this finish too fast for a bar to help
_state: dict = {"enabled": False, "bar": None, "since": 0.0}


def enable(on: bool = True) -> None:
    """Show the bar in this process; its rate counts from now (the build's start)."""
    _state.update(enabled=on, since=time.time())


def update(done: int, total: int) -> None:
    """Move the bar to `done` of `total` articles analysed; closes it at the end."""
    if not _state["enabled"] or total < MIN_ARTICLES:
        return
    from tqdm import tqdm

    bar = _state["bar"]
    if bar is None or bar.total != total:
        bar = _state["bar"] = tqdm(total=total, unit="article", desc="analysing", file=sys.stderr,
                                   dynamic_ncols=True, mininterval=0.5)
        bar.start_t = min(bar.start_t, _state["since"] or bar.start_t)  # the first chunk's time counts
    bar.update(done - bar.n)
    if done >= total:
        bar.close()
        _state["bar"] = None
