"""A copy of the exports on object storage, for readers who cannot reach the build's disk.

With CLAIMS_EXPORTS_URL=s3://bucket/prefix/ set, every build (and `python -m pipelines export`)
copies the published exports there after writing them locally: each part file (`claims/part-07.parquet`)
whose sha256 differs from the one the remote manifest names, then the data package, the extractor
version and the zip when anything changed, and `manifest.json` last, so a reader who goes by the manifest
never meets a manifest that names a file not yet there. The local folder stays the one that is
written and verified (sha256, atomic replace); object storage has no rename, so it is a mirror.
Credentials and endpoint come from the standard AWS_* environment variables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

from pipelines.store import bundle, exports

EXPORTS_URL_ENV = "CLAIMS_EXPORTS_URL"
ALONGSIDE = ("datapackage.json", "extractor_version", bundle.BUNDLE_NAME)  # rewritten with every new manifest


def configured() -> str | None:
    return os.environ.get(EXPORTS_URL_ENV) or None


def split(url: str) -> tuple[str, str]:
    """(bucket, key prefix ending in '/' or empty) of an s3:// URL."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise RuntimeError(f"{EXPORTS_URL_ENV} must be an s3://bucket/prefix/ URL, not {url!r}")
    prefix = parsed.path.lstrip("/")
    return parsed.netloc, (prefix.rstrip("/") + "/" if prefix else "")


def client():
    import boto3

    return boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))


def remote_manifest(s3, bucket: str, prefix: str) -> dict | None:
    try:
        body = s3.get_object(Bucket=bucket, Key=prefix + exports.MANIFEST)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    return json.loads(body)


def push(folder: Path, manifest: dict, url: str | None = None) -> list[str] | None:
    """Bring the copy at `url` (default $CLAIMS_EXPORTS_URL) in line with `manifest`, whose files are
    in `folder`; returns the names uploaded (None when no copy is configured)."""
    url = url or configured()
    if not url:
        return None
    bucket, prefix = split(url)
    s3 = client()
    before = remote_manifest(s3, bucket, prefix)
    if before == manifest:
        return []
    sent = {part["file"]: part["sha256"] for e in (before or {}).get("tables", []) for part in e.get("parts", [])}
    names = [part["file"] for e in manifest["tables"] for part in e["parts"] if sent.get(part["file"]) != part["sha256"]]
    names += [n for n in ALONGSIDE if (folder / n).is_file()]
    for name in names:
        s3.upload_file(str(folder / name), bucket, prefix + name)
    s3.upload_file(str(folder / exports.MANIFEST), bucket, prefix + exports.MANIFEST)  # the same bytes as here
    return [*names, exports.MANIFEST]
