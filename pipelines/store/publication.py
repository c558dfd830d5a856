"""Publication: the files users read (Parquet exports, manifest, dataset zip, HTML pages) switched
together with the lake snapshot they come from, by the lake's own commit.

A build writes a whole new publication into a folder of its own, `exports/publications/<name>/`,
that nothing names yet: tables and pages that did not change are hard links to the previous
publication's files, the rest is written from the lake as the open commit transaction sees it.
The publication's name and manifest go into the `_publication` bookkeeping table in the SAME
DuckLake transaction as the data, so one commit switches tables, exports, manifest and pages
together: a kill or a full disk before it leaves the previous publication current, after it the
new one. Concurrent builds both rewrite `_publication`, so their commits conflict and the loser
publishes again from what the winner committed.

Readers resolve the current publication from the lake (`current`): `serve` and the CLI. The paths
users know (`exports/<table>.parquet`, `exports/manifest.json`, `exports/html/...`) are a mirror of
the current publication, brought in line right after the commit (`mirror`): data first, pages
before the index that links them, the manifest last, removed pages after the index stops linking
them. A build killed before its mirror finished is mirrored by the next one (or `claims export`).

Old publications are removed once no reader still resolves them: READ_GRACE_S after they were
replaced. A folder no snapshot names is a killed or failed build's leftover, removed once its
owner process is dead; a live build's folder is never touched. This module needs no Dagster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import faults, validate
from pipelines.schemas import ENTITY_ROWS, REJECTED, SCHEMAS
from pipelines.settings import Paths
from pipelines.store import exports, lake, staging

TABLE = "_publication"  # one row: the publication the snapshot it was committed in belongs to
FOLDER = "publications"
LOCK = ".mirror.lock"
READ_GRACE_S = 300.0  # a reader resolves a publication and reads it within seconds; 5 minutes is ample
PREDICTION_RETRIES = 3
MIRRORED_SUFFIXES = (".parquet", ".json", ".zip", ".html", ".js")
MIRRORED_NAMES = ("extractor_version",)
_IN_PROGRESS: set[str] = set()  # names this process is writing now (never cleared under its feet)


@dataclass(frozen=True)
class Publication:
    name: str
    folder: Path
    manifest: dict

    @property
    def snapshot_id(self) -> int:
        return self.manifest["snapshot_id"]


def root(p: Paths) -> Path:
    return p.exports / FOLDER


def _new_name() -> str:
    """`<UTC time>-<owner pid>-<random>`: sorts by time, tells who owns it while it is uncommitted."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{secrets.token_hex(3)}"


def _owner(name: str) -> int | None:
    try:
        return int(name.split("-")[1])
    except (IndexError, ValueError):
        return None


def recorded(con, p: Paths) -> Publication | None:
    """The publication the lake names at the snapshot `con` reads (None before the first one)."""
    try:
        row = con.execute(f"SELECT publication, manifest FROM {TABLE}").fetchone()
    except duckdb.CatalogException:
        return None
    if row is None:
        return None
    return Publication(row[0], root(p) / row[0], json.loads(row[1]))


def current(p: Paths) -> Publication | None:
    """The publication of the lake's current snapshot, read the way every reader does."""
    if not lake.exists(p):
        return None
    con = lake.connect(p, read_only=True)
    try:
        return recorded(con, p)
    finally:
        con.close()


def lake_snapshot(p: Paths) -> int | None:
    """The lake's current snapshot id (None when there is no lake yet)."""
    if not lake.exists(p):
        return None
    con = lake.connect(p, read_only=True)
    try:
        return lake.current_snapshot(con)
    finally:
        con.close()


# --- what a build must publish ------------------------------------------------------------------

def touched_tables(changes: Iterable[lake.BucketChange], errors_replaced: bool) -> set[str]:
    """Contract tables whose rows the commit of `changes` rewrites (so whose export is rewritten)."""
    stored: set[str] = set()
    for change in changes:  # a change replaces its articles' rows in every table keyed by article
        if change.gone or any(change.files.values()):
            stored |= {t for t in lake.stored_tables() if lake.article_key(t)}
        stored.add(REJECTED)  # the partition's articles over budget are rewritten with it
    if REJECTED in stored or errors_replaced:
        stored.add("ingest_errors")
    if ENTITY_ROWS in stored:
        stored.add("entities")
    return {t for t in stored if t in SCHEMAS}


@dataclass
class Inspection:
    """The current publication and what is wrong with it: tables to rewrite, whether pages must be redone."""

    previous: Publication | None
    redo: set[str]
    pages_ok: bool

    @property
    def whole(self) -> bool:
        return self.previous is not None and not self.redo and self.pages_ok


def inspect(con, p: Paths, extractor_version: str) -> Inspection:
    """Verify the current publication against the lake: missing or damaged files (sha256), tables
    changed by commits that did not publish (another writer), stale pages."""
    from pipelines.report.publish import pages_complete

    previous = recorded(con, p)
    if previous is None or not previous.folder.is_dir():  # never published, or its folder is gone
        return Inspection(None, set(SCHEMAS), False)
    snapshot = lake.current_snapshot(con)
    redo = exports.damaged(previous.folder, previous.manifest) | exports.changed_columns(con, previous.manifest)
    redo |= lake.changed_tables(con, previous.snapshot_id, snapshot)
    return Inspection(previous, redo, pages_complete(previous.folder, extractor_version))


# --- writing a publication inside the commit ----------------------------------------------------

def prepare(con, p: Paths, extractor_version: str, touched: set[str]) -> dict:
    """Inside the commit's transaction: check the cross-table rules over every row it would commit
    (IntegrityError refuses the commit), write a new publication of what the transaction holds (the
    tables in `touched` change in it), record it in `_publication`, and return what the commit
    message should note. Run again on each retry of the commit, against what won the race."""
    from pipelines.report.publish import write_pages

    validate.check_snapshot(con)  # every row of what would be committed, not only this build's
    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (publication VARCHAR, snapshot_id BIGINT, manifest VARCHAR)")
    state = inspect(con, p, extractor_version)
    previous = state.previous
    snapshot = lake.current_snapshot(con) + 1  # the id this commit gets; checked after it (see commit)
    name = _new_name()
    folder = root(p) / name
    _IN_PROGRESS.add(name)
    try:
        folder.mkdir(parents=True)
        generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        header = {"snapshot_id": snapshot, "generated_at": generated, "extractor_version": extractor_version,
                  "publication": f"{FOLDER}/{name}"}
        manifest = exports.write(con, folder, previous.folder if previous else None,
                                 previous.manifest if previous else None, state.redo | touched, header)
        write_pages(folder, previous.folder if previous else None, extractor_version)
        faults.crash_point("publish")
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", [name, snapshot, json.dumps(manifest, sort_keys=True)])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a full disk gets its space back at once
        _IN_PROGRESS.discard(name)
        raise
    return {"publication": name}


def commit(con, p: Paths, changes: list[lake.BucketChange], errors: Path | None, extractor_version: str,
           note: dict | None = None) -> int | None:
    """Commit `changes` with a new publication in one snapshot; or, when nothing changed, a snapshot
    with only a new publication if the current one is missing, damaged or stale; else None."""
    touched = touched_tables(changes, errors is not None)
    if not changes and errors is None and inspect(con, p, extractor_version).whole:
        return None
    snapshot = None
    for _ in range(PREDICTION_RETRIES):
        published = None
        try:
            snapshot = lake.commit(con, changes, errors, extractor_version, note, force=True,
                                   before_commit=lambda c, touched=touched: prepare(c, p, extractor_version, touched))
            published = recorded(con, p)
        finally:
            _drop_attempts(p, keep=published)
        if published is not None and published.snapshot_id == snapshot:
            return snapshot
        # another writer's commit slipped in between (a catalog that retries commits itself): the
        # manifest names the wrong snapshot, so publish again, everything, on top of what is there now
        changes, errors, touched = [], None, set(SCHEMAS)
    return snapshot


def _drop_attempts(p: Paths, keep: Publication | None) -> None:
    """Remove the folders this process wrote for commits that did not happen (a conflict retried,
    a full disk, an error), keeping the one committed."""
    for name in list(_IN_PROGRESS):
        if keep is None or name != keep.name:
            shutil.rmtree(root(p) / name, ignore_errors=True)
    _IN_PROGRESS.clear()


# --- the mirror at the stable paths -------------------------------------------------------------

@contextlib.contextmanager
def _mirror_lock(p: Paths) -> Iterator[None]:
    """One mirroring at a time (a lock the kernel frees when its holder dies): the last one to run
    mirrors the latest publication, never an earlier one over a later one."""
    p.exports.mkdir(parents=True, exist_ok=True)
    with open(p.exports / LOCK, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _mirror_order(rel: Path) -> tuple:
    """Data and descriptions first, then article pages, person pages, the search index and the
    dashboard that links them, the manifest last."""
    if rel.parts[0] != "html":
        return (3 if rel.name == exports.MANIFEST else 0, str(rel))
    if rel.name == "index.html" and len(rel.parts) == 2:
        return (2, "")
    return (1, 1 if rel.parts[1] == "people" or rel.suffix == ".js" else 0, str(rel))


def _published_files(folder: Path) -> list[Path]:
    out = [f.relative_to(folder) for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")]
    return sorted((r for r in out if r.suffix in MIRRORED_SUFFIXES or r.name in MIRRORED_NAMES), key=_mirror_order)


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    return (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev)


def place(src: Path, target: Path) -> None:
    """Make `target` the file `src` atomically: a hard link (no bytes copied), else a copy."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _stale_mirrored(exports_dir: Path, keep: set[Path]) -> list[Path]:
    """Files at the mirrored places that the current publication no longer has (removed pages)."""
    found = [f for f in exports_dir.glob("*") if f.is_file() and f.suffix in (".parquet", ".zip")]
    for sub in ("html", "html/people"):
        found += [f for f in (exports_dir / sub).glob("*") if f.is_file() and f.suffix in (".html", ".js")]
    return [f for f in found if f.relative_to(exports_dir) not in keep]


def mirror(p: Paths) -> Publication | None:
    """Bring the stable paths in line with the lake's current publication; clear old publications
    and leftovers. Returns the current publication."""
    with _mirror_lock(p):
        clear_leftover_temp(p.exports)
        pub = current(p)
        if pub is None or not pub.folder.is_dir():
            return pub
        files = _published_files(pub.folder)
        for i, rel in enumerate(files):
            if i == len(files) // 2:
                faults.crash_point("mirror")
            target = p.exports / rel
            if not _same_file(pub.folder / rel, target):
                target.parent.mkdir(parents=True, exist_ok=True)
                place(pub.folder / rel, target)
        for stale in _stale_mirrored(p.exports, set(files)):
            stale.unlink(missing_ok=True)
        clear_old(p)
        return pub


def clear_leftover_temp(folder: Path) -> None:
    """`.<name>.<pid>.tmp` files in the exports and the pages: only a mirror writes there, and the
    caller holds the mirror lock, so every one is a leftover of a killed or failed mirror."""
    for sub in (folder, folder / "html", folder / "html" / "people"):
        for tmp in sub.glob(".*.tmp") if sub.is_dir() else []:
            tmp.unlink(missing_ok=True)


def history(p: Paths) -> dict[str, float | None]:
    """publication name -> when a later publication replaced it (epoch seconds), None for the current."""
    con = lake.connect(p, read_only=True)
    try:
        named = [(s.get("publication"), s["time"]) for s in lake.snapshots(con) if s.get("publication")]
    finally:
        con.close()
    out: dict[str, float | None] = {}
    for (name, _), (_, replaced) in zip(named, [*named[1:], (None, None)], strict=True):
        out[name] = replaced.timestamp() if replaced is not None else None
    return out


def clear_old(p: Paths, now: float | None = None) -> list[str]:
    """Remove publications replaced more than READ_GRACE_S ago and folders of dead builds no
    snapshot names; returns the names removed."""
    base = root(p)
    if not base.is_dir():
        return []
    folders = [f for f in base.iterdir() if f.is_dir()]
    # owners are judged BEFORE the lake is read: an owner that committed and died by then is seen as committed
    dead = {f.name for f in folders if f.name not in _IN_PROGRESS and not _alive(_owner(f.name))}
    named = history(p)
    now = time.time() if now is None else now
    removed = []
    for f in folders:
        if f.name in named:
            replaced = named[f.name]
            gone = replaced is not None and now - replaced > READ_GRACE_S
        else:
            gone = f.name in dead
        if gone:
            shutil.rmtree(f, ignore_errors=True)
            removed.append(f.name)
    return removed


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return False  # this process is not writing it (not in _IN_PROGRESS): a failed attempt of ours
    return staging.pid_alive(pid)


def page_counts(pub: Publication | None) -> dict[str, int]:
    """How many article and person pages the publication has."""
    if pub is None:
        return {"pages": 0, "people_pages": 0}
    html = pub.folder / "html"
    return {"pages": sum(1 for f in html.glob("*.html") if f.name != "index.html"),
            "people_pages": sum(1 for f in (html / "people").glob("*.html") if f.name != "index.html")}


def ensure(p: Paths, extractor_version: str) -> Publication | None:
    """What `claims export` does: publish again if the current publication is missing or damaged,
    then mirror it."""
    con = lake.connect(p, read_only=False)
    try:
        commit(con, p, [], None, extractor_version, note={"reason": "export"})
    finally:
        con.close()
    return mirror(p)
