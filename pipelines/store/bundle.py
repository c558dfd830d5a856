"""The whole-dataset download: one zip of every Parquet file, the manifest and the data dictionary.

Reproducible byte for byte: entries in a fixed order with a fixed timestamp and permissions.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
BUNDLE_NAME = "claims-dataset.zip"


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"claims-dataset/{name}", date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    # Parquet is already compressed; text compresses well
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".parquet") else zipfile.ZIP_DEFLATED
    return info


def write_bundle(exports: Path, files: list[str], extra: dict[str, str]) -> Path:
    """Zip `files` (names inside `exports`) and `extra` (name -> text) into exports/claims-dataset.zip."""
    target = exports / BUNDLE_NAME
    tmp = exports / f".{BUNDLE_NAME}.{os.getpid()}.tmp"
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files):  # streamed: the dataset is never all in memory
            with open(exports / name, "rb") as src, zf.open(_info(name), "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        for name, text in sorted(extra.items()):
            zf.writestr(_info(name), text.encode("utf-8"))
    os.replace(tmp, target)
    return target
