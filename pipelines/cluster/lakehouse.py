"""Reaching a DuckLake: catalog in a local file or PostgreSQL, data in a folder or on S3.

Every extension is loaded from its PyPI wheel (nothing is downloaded at run time). Credentials come
only from the environment: libpq's PGPASSWORD/PGUSER/... for the PostgreSQL catalog, and
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL for S3.

    CLAIMS_CATALOG=postgres:dbname=claims host=db.internal user=claims   (or a .ducklake file)
    CLAIMS_DATA_PATH=s3://claims-bucket/lake/                                  (or a folder)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import polars as pl

from pipelines.schemas import SCHEMAS, frame

CATALOG_ENV = "CLAIMS_CATALOG"
DATA_ENV = "CLAIMS_DATA_PATH"
ALIAS = "lake"
DEFAULT_REGION = "us-east-1"
# entities are shared by articles: each partition stores its own, the `entities` view merges them
ENTITY_PARTS = "entities_by_partition"
PARTITION_COLUMN = "partition_key"
ENTITIES_VIEW = f"""
    SELECT entity_id, min(canonical_name) AS canonical_name, min(entity_type) AS entity_type,
           min(acronym) AS acronym
    FROM {ENTITY_PARTS} GROUP BY entity_id"""


@dataclass(frozen=True)
class LakeConfig:
    """Where the catalog and the data files live (no credentials: those stay in the environment)."""

    catalog: str  # "postgres:dbname=... host=...", "sqlite:PATH" (local, several writers) or a .ducklake file
    data_path: str  # "s3://bucket/prefix/" or a folder

    @classmethod
    def from_env(cls, catalog: str | None = None, data_path: str | None = None) -> LakeConfig:
        catalog = catalog or os.environ.get(CATALOG_ENV)
        data_path = data_path or os.environ.get(DATA_ENV)
        if not catalog or not data_path:
            raise RuntimeError(f"set {CATALOG_ENV} (a catalog: postgres:... or a file) and {DATA_ENV} "
                               "(where data files go: s3://bucket/prefix/ or a folder)")
        return cls(catalog, data_path)

    @property
    def on_s3(self) -> bool:
        return self.data_path.startswith("s3://")


def extension_file(name: str) -> Path:
    """The `<name>.duckdb_extension` file shipped by the `duckdb-extension-<name>` package."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    found = sorted(Path(module.__file__).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"duckdb-extension-{name} is installed but holds no {name}.duckdb_extension file")
    return found[-1]


def load_extensions(con: duckdb.DuckDBPyConnection, config: LakeConfig) -> None:
    """Load what `config` needs, from the wheels: ducklake, postgres_scanner, httpfs."""
    con.execute("SET autoinstall_known_extensions = false")
    names = ["ducklake"]
    if config.catalog.startswith("postgres:"):
        names.insert(0, "postgres_scanner")
    if config.catalog.startswith("sqlite:"):
        names.insert(0, "sqlite_scanner")
    if config.on_s3:
        names.insert(0, "httpfs")
    for name in names:
        con.execute(f"LOAD '{extension_file(name)}'")


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
    return f"CREATE OR REPLACE SECRET claims_s3 (TYPE s3, {', '.join(parts)})"


def _quote(value: str) -> str:
    return value.replace("'", "''")


def connect(config: LakeConfig, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the lake attached as `lake`."""
    con = duckdb.connect()
    load_extensions(con, config)
    if config.on_s3:
        con.execute(s3_secret_sql())
    kind, _, where = config.catalog.rpartition(":") if config.catalog.startswith("sqlite:") else ("", "", "")
    if kind or config.catalog.startswith("postgres:"):
        catalog = config.catalog
        if kind:
            _create_sqlite_catalog(Path(where))
    else:  # a DuckDB catalog file: one writing process at a time (use sqlite:PATH for several)
        Path(config.catalog).parent.mkdir(parents=True, exist_ok=True)
        catalog = Path(config.catalog).as_posix()
    if "://" not in config.data_path:
        Path(config.data_path).mkdir(parents=True, exist_ok=True)
    options = [f"DATA_PATH '{_quote(config.data_path)}'"] + (["READ_ONLY"] if read_only else [])
    con.execute(f"ATTACH 'ducklake:{_quote(catalog)}' AS {ALIAS} ({', '.join(options)})")
    return con


def _create_sqlite_catalog(path: Path) -> None:
    """A new SQLite catalog in WAL mode, so several local worker processes can commit in turn."""
    import sqlite3

    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def lake_tables() -> dict[str, pl.DataFrame]:
    """Empty frames of every stored table: the contract's, with entities stored per partition."""
    out = {t: frame(t) for t in SCHEMAS if t != "entities"}
    out[ENTITY_PARTS] = frame("entities").with_columns(pl.lit(None, pl.Utf8).alias(PARTITION_COLUMN))
    return out


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the lake's tables and views if missing (run once, by the coordinator, before any writer)."""
    from pipelines.store.lake import VIEWS

    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [ALIAS]).fetchall()}
    con.execute("BEGIN")
    for name, empty in lake_tables().items():
        if name not in existing:
            with frame_file(empty) as path:
                con.execute(f'CREATE TABLE {ALIAS}."{name}" AS SELECT * FROM read_parquet(?) WITH NO DATA', [path])
    # a view's unqualified table names resolve inside the lake, whatever name it is attached under
    views = {**VIEWS, "entities": ENTITIES_VIEW}  # the local lake's entities view reads its own entity rows
    for name, sql in views.items():
        if name not in existing:
            con.execute(f'CREATE VIEW {ALIAS}."{name}" AS {sql}')
    con.execute("COMMIT")


@contextlib.contextmanager
def frame_file(df: pl.DataFrame) -> Iterator[str]:
    """`df` as a temporary local Parquet file, for DuckDB to read (no pyarrow needed)."""
    with tempfile.TemporaryDirectory(prefix="claims-part-") as tmp:
        path = Path(tmp) / "rows.parquet"
        df.write_parquet(path)
        yield path.as_posix()


def insert(con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame) -> None:
    """Append the rows of `df` to the lake table `table` (in the caller's transaction)."""
    if df.height:
        with frame_file(df) as path:
            con.execute(f'INSERT INTO {ALIAS}."{table}" SELECT * FROM read_parquet(?)', [path])


def snapshot_id(con: duckdb.DuckDBPyConnection) -> int:
    """The lake's latest snapshot id."""
    return con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchone()[0]
