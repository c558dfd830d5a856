"""Publication: the files users read (Parquet exports, manifest, data package, HTML pages) switched
together with the lake snapshot they come from, by the lake's own commit.

A build writes a whole new publication into a folder of its own, `publications/<name>/` beside the
catalog, that nothing names yet: parts of tables and pages that did not change are hard links to
the previous publication's files, the rest is written from the lake as the open commit transaction
sees it. The publication's name and manifest go into the `_publication` bookkeeping table in the
SAME DuckLake transaction as the data, so one commit switches tables, exports, manifest and pages
together: a kill or a full disk before it leaves the previous publication current, after it the
new one. Concurrent builds both rewrite `_publication`, so their commits conflict and the loser
publishes again from what the winner committed.

Readers resolve the current publication from the lake (`current`): `serve` and the CLI. The path
users know, `exports/` beside the catalog, is a pointer to it: a symbolic link to
`publications/<name>`, replaced in one atomic rename after the commit (`point`), so a reader going
through `exports/` opens one whole publication, the previous one or the new one, never a mix. The
pointer is derived, never trusted: it is right when it names the publication the lake records and
that folder's `manifest.json` has the sha256 of the manifest the lake holds (`pointer_ok`). A build
killed between its commit and the rename leaves it one publication behind; the next build, `serve`
and the CLI's read commands find that and point it again (`repair`).

Old publications are removed once no reader still resolves them: READ_GRACE_S after they were
replaced. A folder no snapshot names is a killed or failed build's leftover, removed once its
owner process is dead; a live build's folder is never touched. Article pages are not in the
publication folders but in one stable folder they link (`pipelines.report.article_store`); when
a publication is removed, the pages no remaining publication has are removed with the same grace.
This module needs no Dagster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import faults, validate
from pipelines.schemas import ENTITY_ROWS, SCHEMAS, TABLES
from pipelines.settings import Paths
from pipelines.store import exports, lake, remote, sqllist, staging

TABLE = "_publication"  # one row: the publication the snapshot it was committed in belongs to
FOLDER = "publications"
LOCK = ".pointer.lock"
READ_GRACE_S = 300.0  # a reader resolves a publication and reads it within seconds; 5 minutes is ample
PREDICTION_RETRIES = 3
# past this share of the lake's articles changed, the integrity check reads every row: the scoped one
# reads the changed rows plus, per foreign key, every row naming one of their keys (0.5: about as
# many rows read, with long key lists besides)
SCOPED_SHARE = 0.5
# the lake connection's DuckDB memory while the publication is written (exports read one part at a
# time; pages have their own connections): measured on the 10,000-article commit, the step's peak
# fell from 556 to 473 MB (buffers of the insert and the check given back before the pages); at
# 128 MB it was 542 MB (the exports filled the buffers again while the pages were made)
PUBLISH_MEMORY_LIMIT = "64MB"
# a small commit (at most this many articles): its changed export parts are the previous files plus and
# minus its articles' rows (`exports.Delta`), and it checks its rows while its pages are written (a
# thread beside them; the check reads the transaction, the pages the parts just written: one new article
# into 10,000, the check took 0.15 s and the pages 0.6 s one after the other). A larger commit checks
# first, so the check's buffers are given back before the exports and pages (the limit above), and reads
# its parts whole: an extractor change with a publication in place (10,000 articles, ~625 per part) ran
# out of that limit on the delta's id lists, where reading each part whole streams
SMALL_COMMIT = 100
_IN_PROGRESS: set[str] = set()  # names this process is writing now (never cleared under its feet)


@dataclass(frozen=True)
class Publication:
    name: str
    folder: Path
    manifest: dict
    manifest_text: str = ""  # the manifest exactly as the lake holds it (and the folder's manifest.json)

    @property
    def snapshot_id(self) -> int:
        return self.manifest["snapshot_id"]


def root(p: Paths) -> Path:
    return p.warehouse_dir / FOLDER


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
    return Publication(row[0], root(p) / row[0], json.loads(row[1]), row[1])


def current(p: Paths) -> Publication | None:
    """The publication of the lake's current snapshot, read the way every reader does."""
    if not lake.exists(p):
        return None
    with lake.reading(p) as con:
        return recorded(con, p)


def lake_snapshot(p: Paths) -> int | None:
    """The lake's current snapshot id (None when there is no lake yet)."""
    if not lake.exists(p):
        return None
    with lake.reading(p) as con:
        return lake.current_snapshot(con)


# --- what a build must publish ------------------------------------------------------------------

Parts = dict[str, set[int]]  # table -> parts of its export to write again


@dataclass
class Touched:
    """What a commit changes: the parts of the exports to write again, the articles whose rows
    change (None: unknown, so every corpus page is made again) and the people those articles had
    before the commit (their pages change even if the articles are gone)."""

    parts: Parts
    articles: set[str] | None
    people_before: set[str]
    compare: set[str] = field(default_factory=set)  # tables replaced whole: write the parts that differ
    scope: validate.Scope | None = None  # what the integrity check may be limited to (None: every row)
    entities: list[str] | None = None  # entity ids the commit may change (None: unknown)


def _merge(*parts: Parts) -> Parts:
    out: Parts = {}
    for one in parts:
        for table, ks in one.items():
            out.setdefault(table, set()).update(ks)
    return out


def everything() -> Touched:
    return Touched({t: set(exports.ALL_PARTS) for t in SCHEMAS}, None, set())


def touched_parts(con, changes: Iterable[lake.BucketChange], errors_replaced: bool) -> Touched:
    """What the commit of `changes` rewrites, read before the commit: the parts of every article it
    drops or brings, the parts of every entity those articles had or get, all of `ingest_errors`
    when it is replaced; and the people the lake has for those articles now."""
    from pipelines.report.corpus import keys_of_articles

    changes = list(changes)
    ids: set[str] = set()
    for change in changes:
        ids |= set(change.gone) | lake.staged_ids(con, change)
    out: Parts = {}
    if ids:
        parts = {exports.part_of(a) for a in ids}
        out = {t: set(parts) for t in SCHEMAS if TABLES[t].article_key}
    entities = sorted(_entities_of(con, changes, sorted(ids))) if ids else []
    if ids:
        out["entities"] = {exports.part_of(e) for e in entities}
    compare = {"ingest_errors"} if errors_replaced or changes else set()  # articles over budget are errors too
    return Touched(out, ids, keys_of_articles(con, sorted(ids)), compare, _scope(con, ids), entities)


def _parts_to_write(con, touched: Touched, state: Inspection) -> Parts:
    """The parts `touched` names, but of `entities` only those whose rows change: an entity the
    commit's articles share with others keeps its row (the lake's `entities` view folds every
    article's rows), so most entity parts of a small commit are the previous files (one new
    article into 10,000: 12 of its 23 `COPY`s were such parts)."""
    parts = touched.parts
    if state.previous is None or state.foreign or touched.entities is None or "entities" not in parts:
        return parts
    return {**parts, "entities": exports.differing_parts(con, "entities", state.previous.folder, touched.entities)}


def _scope(con, ids: set[str]) -> validate.Scope | None:
    """The scope of the commit's integrity check: its articles (and the keys they have now), unless
    they are more than SCOPED_SHARE of the lake's articles, when checking every row costs less."""
    if not ids:
        return validate.Scope((), {})
    known = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    return validate.scope_of(con, sorted(ids)) if len(ids) <= SCOPED_SHARE * known else None


def _entities_of(con, changes: list[lake.BucketChange], ids: list[str]) -> set[str]:
    """Entity ids the articles `ids` have in the lake now, and those their staged rows bring."""
    old = con.execute(f"SELECT DISTINCT entity_id FROM {ENTITY_ROWS} WHERE article_id IN {sqllist.IN_LIST}",
                      [sqllist.joined(ids)]).fetchall()
    files = [str(f) for c in changes for f in c.files.get(ENTITY_ROWS, [])]
    new = con.execute(f"SELECT DISTINCT entity_id FROM read_parquet({sqllist.files_sql(files)})").fetchall() if files else []
    return {r[0] for r in old + new}


@dataclass
class Inspection:
    """The current publication and what is wrong with it: parts to rewrite, whether pages must be redone."""

    previous: Publication | None
    redo: Parts
    pages_ok: bool
    foreign: bool = False  # tables changed by commits that did not publish: which articles is not known

    @property
    def whole(self) -> bool:
        return self.previous is not None and not any(self.redo.values()) and self.pages_ok


def inspect(con, p: Paths, extractor_version: str) -> Inspection:
    """Verify the current publication against the lake: missing or damaged files (sha256), tables
    changed by commits that did not publish (another writer), stale pages."""
    from pipelines.report.stamps import pages_complete

    previous = recorded(con, p)
    if previous is None or not previous.folder.is_dir():  # never published, or its folder is gone
        return Inspection(None, {t: set(exports.ALL_PARTS) for t in SCHEMAS}, False)
    snapshot = lake.current_snapshot(con)
    whole = exports.changed_columns(con, previous.manifest) | lake.changed_tables(con, previous.snapshot_id, snapshot)
    redo = _merge(exports.damaged(previous.folder, previous.manifest), {t: set(exports.ALL_PARTS) for t in whole})
    return Inspection(previous, redo, pages_complete(previous.folder, extractor_version), foreign=bool(whole))


# --- writing a publication inside the commit ----------------------------------------------------

def prepare(con, p: Paths, extractor_version: str, touched: Touched) -> dict:
    """Inside the commit's transaction: check the cross-table rules over what the commit changes (keys
    its rows share, rows pointing into them) or over every row (IntegrityError refuses the commit), write a new publication of what the transaction holds (the
    parts in `touched` change in it), record it in `_publication`, and return what the commit
    message should note. Run again on each retry of the commit, against what won the race."""
    from pipelines.report.publish import write_pages

    state = inspect(con, p, extractor_version)
    # what only the whole lake shows about the articles this commit changes (keys they share, rows
    # pointing into them); every row after a commit that did not publish, or when most articles change
    known = state.previous is not None and not state.foreign
    scope = touched.scope if known else None
    small = known and touched.articles is not None and len(touched.articles) <= SMALL_COMMIT
    beside = small and scope is not None
    if not beside:  # before the exports and pages, so that its buffers are given back first
        validate.check_snapshot(con, scope)
    if not remote.on_s3(p.data_path):  # an S3 writer buffers a multipart upload: it keeps the lake's limit
        # what is left reads one part at a time: the lake's buffers from the insert and the check go
        con.execute(f"SET memory_limit = '{PUBLISH_MEMORY_LIMIT}'")
    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (publication VARCHAR, snapshot_id BIGINT, manifest VARCHAR)")
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
        compared = {t: exports.differing_parts(con, t, previous.folder) if previous else set(exports.ALL_PARTS)
                    for t in touched.compare}
        whole = _merge(state.redo, compared)
        delta = exports.Delta(frozenset(touched.articles), whole) if small else None
        manifest, text = exports.write(con, folder, previous.folder if previous else None,
                                       previous.manifest if previous else None,
                                       _merge(whole, _parts_to_write(con, touched, state)), header, delta)
        pages = functools.partial(write_pages, folder, previous.folder if previous else None, extractor_version,
                                  None if state.foreign else touched.articles, touched.people_before)
        if beside:
            _pages_beside_check(con, scope, pages)
        else:
            pages()
        faults.crash_point("publish")
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", [name, snapshot, text])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a full disk gets its space back at once
        _IN_PROGRESS.discard(name)
        raise
    return {"publication": name}


def _pages_beside_check(con, scope: validate.Scope, pages: Callable[[], object]) -> None:
    """The pages (their own connection, on the parts just written) in a thread while the scoped check
    reads the transaction (a SMALL_COMMIT). A broken rule is raised once the pages have stopped."""
    with ThreadPoolExecutor(1) as pool:
        written = pool.submit(pages)
        try:
            validate.check_snapshot(con, scope)
        except BaseException:
            wait([written])
            raise
        written.result()


def commit(con, p: Paths, changes: list[lake.BucketChange], errors: Path | None, extractor_version: str,
           note: dict | None = None) -> int | None:
    """Commit `changes` with a new publication in one snapshot; or, when nothing changed, a snapshot
    with only a new publication if the current one is missing, damaged or stale; else None."""
    if not changes and errors is None and inspect(con, p, extractor_version).whole:
        return None
    touched = touched_parts(con, changes, errors is not None)
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
        changes, errors, touched = [], None, everything()
    return snapshot


def _drop_attempts(p: Paths, keep: Publication | None) -> None:
    """Remove the folders this process wrote for commits that did not happen (a conflict retried,
    a full disk, an error), keeping the one committed. Article pages stay (see `article_store`)."""
    for name in list(_IN_PROGRESS):
        if keep is None or name != keep.name:
            shutil.rmtree(root(p) / name, ignore_errors=True)
    _IN_PROGRESS.clear()


# --- the pointer at the stable path -------------------------------------------------------------

@contextlib.contextmanager
def _pointer_lock(p: Paths) -> Iterator[None]:
    """One pointing at a time (a lock the kernel frees when its holder dies): each reads the lake
    and renames under it, so an earlier publication is never pointed at over a later one."""
    root(p).mkdir(parents=True, exist_ok=True)
    with open(root(p) / LOCK, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _target(pub: Publication) -> str:
    """What the pointer holds: the publication folder relative to the catalog's folder."""
    return f"{FOLDER}/{pub.name}"


def pointer_ok(p: Paths, pub: Publication | None) -> bool:
    """Does `exports/` lead to `pub`, whole: the link names its folder and the manifest found
    through it has the sha256 of the manifest the lake recorded?"""
    if pub is None:
        return True
    try:
        if os.readlink(p.exports) != _target(pub):
            return False
        found = hashlib.sha256((p.exports / exports.MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return False
    return found == hashlib.sha256(pub.manifest_text.encode("utf-8")).hexdigest()


def _replace_pointer(p: Paths, pub: Publication) -> None:
    """Point `exports/` at `pub` in one atomic rename (a folder from the layout before the pointer
    is moved aside first, once)."""
    link = p.exports
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(_target(pub), tmp)
    legacy = None
    try:
        faults.crash_point("mirror")  # committed, not yet pointed at: readers of exports/ see the previous one
        if link.is_dir() and not link.is_symlink():  # exports/ of the earlier layout: a real folder
            legacy = link.with_name(f".{link.name}-legacy-{os.getpid()}")
            os.replace(link, legacy)
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if legacy is not None:
        shutil.rmtree(legacy, ignore_errors=True)


def point(p: Paths) -> Publication | None:
    """Point `exports/` at the lake's current publication if it does not already; clear old
    publications and leftovers. Returns the current publication. One read-only connection serves
    both lookups (each query reads the lake's latest snapshot when it runs)."""
    with _pointer_lock(p):
        clear_leftover_temp(p)
        if not lake.exists(p):
            return None
        with lake.reading(p) as con:
            pub = recorded(con, p)
            if pub is None or not pub.folder.is_dir():
                return pub
            if not pointer_ok(p, pub):
                _replace_pointer(p, pub)
            clear_old(p, con=con)
            return pub


def repair(p: Paths) -> bool:
    """What a reader does: if `exports/` does not lead to the lake's current publication (a build
    killed after its commit), point it there. Returns True when it had to. Never fails the reader:
    a read-only folder leaves the pointer as it is."""
    try:
        pub = current(p)
        if pub is None or not pub.folder.is_dir() or pointer_ok(p, pub):
            return False
        point(p)
        return True
    except (OSError, duckdb.Error):
        return False


def clear_leftover_temp(p: Paths) -> None:
    """`.exports.<pid>.tmp` links and `.exports-legacy-<pid>` folders beside the catalog: only
    `point` makes them, and the caller holds the pointer lock, so each is a leftover of a killed one."""
    base = p.warehouse_dir
    for tmp in base.glob(f".{p.exports.name}.*.tmp") if base.is_dir() else []:
        tmp.unlink(missing_ok=True)
    for legacy in base.glob(f".{p.exports.name}-legacy-*") if base.is_dir() else []:
        shutil.rmtree(legacy, ignore_errors=True)


def history(p: Paths, con=None) -> dict[str, float | None]:
    """publication name -> when a later publication replaced it (epoch seconds), None for the current
    (read on `con`, a read-only lake connection, when given)."""
    if con is None:
        with lake.reading(p) as own:
            return history(p, own)
    named = [(s.get("publication"), s["time"]) for s in lake.snapshots(con) if s.get("publication")]
    out: dict[str, float | None] = {}
    for (name, _), (_, replaced) in zip(named, [*named[1:], (None, None)], strict=True):
        out[name] = replaced.timestamp() if replaced is not None else None
    return out


def clear_old(p: Paths, now: float | None = None, con=None) -> list[str]:
    """Remove publications replaced more than READ_GRACE_S ago and folders of dead builds no
    snapshot names (the lake read on `con` when given); returns the names removed."""
    base = root(p)
    if not base.is_dir():
        return []
    folders = [f for f in base.iterdir() if f.is_dir() and not f.name.startswith(".")]
    # owners are judged BEFORE the lake is read: an owner that committed and died by then is seen as committed
    dead = {f.name for f in folders if f.name not in _IN_PROGRESS and not _alive(_owner(f.name))}
    named = history(p, con)
    pointed = _pointed_name(p)
    now = time.time() if now is None else now
    removed = []
    for f in folders:
        if f.name == pointed:
            continue  # what exports/ leads to now: a reader may be in it, whatever the lake says
        if f.name in named:
            replaced = named[f.name]
            gone = replaced is not None and now - replaced > READ_GRACE_S
        else:
            gone = f.name in dead
        if gone:
            shutil.rmtree(f, ignore_errors=True)
            removed.append(f.name)
    if removed:  # pages only the removed publications had
        from pipelines.report import article_store

        article_store.sweep(base, [f for f in folders if f.name not in removed], READ_GRACE_S, now)
    return removed


def _pointed_name(p: Paths) -> str | None:
    try:
        return Path(os.readlink(p.exports)).name
    except OSError:
        return None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return False  # this process is not writing it (not in _IN_PROGRESS): a failed attempt of ours
    return staging.pid_alive(pid)


def page_counts(pub: Publication | None) -> dict[str, int]:
    """How many article and person pages the publication has (a page per article: `pages_complete`)."""
    if pub is None:
        return {"pages": 0, "people_pages": 0}
    html = pub.folder / "html"
    return {"pages": next((t["rows"] for t in pub.manifest["tables"] if t["table"] == "articles"), 0),
            "people_pages": sum(1 for f in (html / "people").glob("*.html") if f.name != "index.html")}


def ensure(p: Paths, extractor_version: str) -> Publication | None:
    """What `claims export` does: publish again if the current publication is missing or damaged,
    then point `exports/` at it."""
    con = lake.connect(p, read_only=False)
    try:
        commit(con, p, [], None, extractor_version, note={"reason": "export"})
    finally:
        con.close()
    return point(p)
