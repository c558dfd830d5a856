"""The whole-dataset download: one zip of every Parquet file of a publication, its manifest, data
package and the data dictionary, written into the publication with its other files.

Streamed a block at a time (the dataset is never in memory). It copies every byte of the exports,
so its cost grows with the corpus: measured at 10,000 bench articles (14 MB of Parquet) 0.03 s,
kept. Reproducible byte for byte: entries in a fixed order with a fixed timestamp and permissions.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"claims-dataset/{name}", date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    # Parquet is already compressed; text compresses well
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".parquet") else zipfile.ZIP_DEFLATED
    return info


BUNDLE_NAME = "claims-dataset.zip"


def write_bundle(folder: Path, target: Path, files: list[str], manifest: str) -> Path:
    """Zip `files` (paths inside the exports `folder`), its data package, the `manifest` text (it is
    written into the folder after the zip) and the data dictionary into `target`, streamed a block
    at a time: the dataset is never in memory."""
    from pipelines.docs import dictionary

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    extra = {"DATA_DICTIONARY.md": dictionary.markdown(), "manifest.json": manifest}
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name in sorted([*files, "datapackage.json"]):
                with open(folder / name, "rb") as src, zf.open(_info(name), "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            for name, text in sorted(extra.items()):
                zf.writestr(_info(name), text.encode("utf-8"))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
