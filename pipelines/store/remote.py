"""Reaching a lake whose catalog is a server (PostgreSQL) or whose data files are on S3.

What belongs here: which DuckDB extensions a catalog / data path needs, and the S3 secret built
from the standard AWS environment variables. Credentials come only from the environment: libpq's
PGPASSWORD/PGUSER/... for a PostgreSQL catalog, and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION, AWS_ENDPOINT_URL for S3; nothing is written to the repo or the catalog.

    CLAIMS_CATALOG=postgres:dbname=claims host=db.internal user=claims   (default: a local SQLite file)
    CLAIMS_DATA_PATH=s3://claims-bucket/lake/                            (default: a local folder)
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import duckdb

from pipelines.store import extensions

DEFAULT_REGION = "us-east-1"
SECRET_NAME = "claims_s3"
_EXISTING: set[str] = set()  # catalogs seen to hold a lake: a lake is never un-made, so no need to ask twice


def on_s3(data_path: str) -> bool:
    return data_path.startswith("s3://")


def needed_extensions(catalog: str, data_path: str) -> list[str]:
    """The extensions an ATTACH of `ducklake:<catalog>` with DATA_PATH `data_path` needs, in load order."""
    names = []
    if on_s3(data_path):
        names.append("httpfs")
    if catalog.startswith("postgres:"):
        names.append("postgres_scanner")
    if catalog.startswith("sqlite:"):
        names.append("sqlite_scanner")
    return [*names, "ducklake"]


def connect(catalog: str, data_path: str) -> duckdb.DuckDBPyConnection:
    """A new connection with what attaching this lake needs loaded (from the PyPI wheels) and, for
    S3, the secret created."""
    con = extensions.connect(*needed_extensions(catalog, data_path))
    try:
        if on_s3(data_path):
            con.execute(s3_secret_sql())
    except BaseException:
        con.close()
        raise
    return con


def catalog_exists(catalog: str, data_path: str) -> bool:
    """Does the catalog server hold a lake yet (a first build creates it)?"""
    if catalog not in _EXISTING:
        con = connect(catalog, data_path)
        try:
            con.execute(f"ATTACH 'ducklake:{_quote(catalog)}' AS probe (READ_ONLY)")
        except duckdb.InvalidInputException as exc:
            if "does not exist" not in str(exc):
                raise
            return False
        finally:
            con.close()
        _EXISTING.add(catalog)
    return True


def s3_secret_sql(env: dict[str, str] | None = None) -> str:
    """CREATE SECRET for S3 from the standard AWS environment variables."""
    env = dict(os.environ if env is None else env)
    key, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        raise RuntimeError("the lake's data path is on S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    parts = [f"KEY_ID '{_quote(key)}'", f"SECRET '{_quote(secret)}'",
             f"REGION '{_quote(env.get('AWS_REGION') or env.get('AWS_DEFAULT_REGION') or DEFAULT_REGION)}'"]
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:  # an S3-compatible server rather than AWS itself: path-style URLs
        url = urlparse(endpoint)
        parts += [f"ENDPOINT '{_quote(url.netloc)}'", "URL_STYLE 'path'",
                  f"USE_SSL {'false' if url.scheme == 'http' else 'true'}"]
    return f"CREATE OR REPLACE SECRET {SECRET_NAME} (TYPE s3, {', '.join(parts)})"


def _quote(value: str) -> str:
    return value.replace("'", "''")
