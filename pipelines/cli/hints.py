"""The exact command a user can type to run this CLI again, for the hints we print.

A bare `python -m pipelines` fails outside the virtualenv, so hints name what works from here:
`claims` when it is on PATH, else the console script or interpreter of this environment by path.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it is inside it, else absolute."""
    try:
        rel = path.relative_to(Path.cwd())
    except ValueError:
        return str(path)
    return str(rel) if str(rel).startswith(".") or os.sep in str(rel) else f".{os.sep}{rel}"


def command() -> str:
    """`claims`, `.venv/bin/claims` or `/path/to/python -m pipelines`: whichever runs this code."""
    bindir = Path(sys.executable).absolute().parent
    script = bindir / "claims"
    on_path = shutil.which("claims")
    if on_path and Path(on_path).absolute() == script:
        return "claims"
    if script.exists():
        return _shown(script)
    on_path_python = shutil.which("python")
    if on_path_python and Path(on_path_python).absolute() == Path(sys.executable).absolute():
        return "python -m pipelines"
    return f"{_shown(Path(sys.executable).absolute())} -m pipelines"
