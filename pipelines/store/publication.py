"""Publication: the files users read (Parquet exports, manifest, data package, HTML pages), kept in
`exports/` beside the catalog and brought to each lake snapshot right after its commit.

The lake is the store and its commit is the only switch. A build writes the export parts it changes
into a staging folder of its own, `publishing/<name>/` beside the catalog (nothing reads it), and
records the resulting manifest (every part with its sha256) in the `_publication` bookkeeping table
in the SAME DuckLake transaction as the data: a kill or a full disk before the commit leaves the
lake and `exports/` as they were. After the commit (`sync`) the staged parts are moved into
`exports/` (one rename each: a reader opens a whole file, the old one or the new one), then the data
package, the zip and `manifest.json`, then the pages that changed, in place (each under a temporary
name, then renamed), and last the mark that the pages are this snapshot's. `exports/` follows the
lake; what names one version of every table is the lake itself (`ATTACH`, `AT (VERSION => n)`), and
`manifest.json` names the snapshot its files come from once they are in place.

`exports/` is derived, never trusted: it is in step when its `manifest.json` is the manifest the
lake recorded and its pages are marked with that snapshot (`in_step`). A build killed after its commit leaves it behind; the next build, `serve`
and the CLI's read commands bring it forward (`sync`): the parts still staged are moved in, any part
whose bytes differ from the recorded sha256 is written again from the lake (the same rows give the
same bytes), then pages and texts. One publisher at a time (a lock the kernel frees when its holder
dies); a reader never waits for it: it reads what is there. Staging folders no snapshot needs (a
build killed or failed before its commit) are removed once their owner process is dead.
This module needs no Dagster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import faults, validate
from pipelines.schemas import ENTITY_ROWS, SCHEMAS, TABLES
from pipelines.settings import Paths
from pipelines.store import exports, lake, mirror, remote, sqllist, staging

TABLE = "_publication"  # one row: the publication the snapshot it was committed in belongs to
FOLDER = "publishing"  # beside the catalog: a staging folder per build, `publishing/<name>/`
LOCK = ".lock"  # in FOLDER: held by the one publisher
PLAN = "pages.json"  # in a staging folder: what its pages must redo (articles changed, their people before)
PAGES_OF = ".snapshot"  # in exports/html: the snapshot the pages were last brought to
LEGACY = ("publications", "pages")  # the layout where exports/ was a link into publications/<name>
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
# a small commit (at most this many articles) writes its changed export parts from the previous files
# plus and minus its articles' rows (`exports.Delta`); a larger one reads its parts whole from the lake:
# an extractor change (10,000 articles, ~625 per part) ran out of the limit above on the delta's id
# lists, where reading each part whole streams
SMALL_COMMIT = 100
_IN_PROGRESS: set[str] = set()  # names this process is writing now (never cleared under its feet)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publication:
    """What the lake records with its current snapshot: the name of the build that published it (its
    staging folder), the folder users read (`exports/`) and the manifest of the files it must hold."""

    name: str
    folder: Path
    manifest: dict
    manifest_text: str = ""  # the manifest exactly as the lake holds it (and exports/manifest.json once in step)

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
    return Publication(row[0], p.exports, json.loads(row[1]), row[1])


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


def in_step(p: Paths, pub: Publication | None) -> bool:
    """Is `exports/` the publication `pub` whole: its manifest.json the one the lake recorded, and its
    pages made for that snapshot (PAGES_OF, written last)?"""
    if pub is None:
        return True
    try:
        return ((p.exports / exports.MANIFEST).read_text(encoding="utf-8") == pub.manifest_text
                and (p.exports / "html" / PAGES_OF).read_text(encoding="utf-8").strip() == str(pub.snapshot_id))
    except (OSError, UnicodeDecodeError):
        return False


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
    staged: dict[str, list[Path]] = field(default_factory=dict)  # table -> the files the commit inserts


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
    had = sorted(lake.held(con, ids))  # of them, those the lake has rows of now (not the new ones)
    entities = sorted(_entities_of(con, changes, had)) if ids else []
    if ids:
        out["entities"] = {exports.part_of(e) for e in entities}
    compare = {"ingest_errors"} if errors_replaced or changes else set()  # articles over budget are errors too
    staged: dict[str, list[Path]] = {}
    for change in changes:
        for table, files in change.files.items():
            staged.setdefault(table, []).extend(files)
    return Touched(out, ids, keys_of_articles(con, had), compare, _scope(con, ids, had), entities, staged)


def _parts_to_write(con, touched: Touched, state: Inspection) -> Parts:
    """The parts `touched` names, but of `entities` only those whose rows change: an entity the
    commit's articles share with others keeps its row (the lake's `entities` view folds every
    article's rows), so most entity parts of a small commit are the previous files (one new
    article into 10,000: 12 of its 23 `COPY`s were such parts)."""
    parts = touched.parts
    if state.previous is None or state.foreign or touched.entities is None or "entities" not in parts:
        return parts
    return {**parts, "entities": exports.differing_parts(con, "entities", state.previous.folder, touched.entities)}


def _scope(con, ids: set[str], had: list[str]) -> validate.Scope | None:
    """The scope of the commit's integrity check: its articles (and the keys those of them the lake
    `had` have now), unless they are more than SCOPED_SHARE of the lake's articles, when checking
    every row costs less."""
    if not ids:
        return validate.Scope((), {})
    known = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    if len(ids) > SCOPED_SHARE * known:
        return None
    return validate.Scope(tuple(sorted(ids)), validate.scope_of(con, had).keys if had else {})


def _entities_of(con, changes: list[lake.BucketChange], ids: list[str]) -> set[str]:
    """Entity ids the articles `ids` have in the lake now, and those their staged rows bring."""
    old = con.execute(f"SELECT DISTINCT entity_id FROM {ENTITY_ROWS} WHERE article_id IN {sqllist.IN_LIST}",
                      [sqllist.joined(ids)]).fetchall() if ids else []
    files = [str(f) for c in changes for f in c.files.get(ENTITY_ROWS, [])]
    new = con.execute(f"SELECT DISTINCT entity_id FROM read_parquet({sqllist.files_sql(files)})").fetchall() if files else []
    return {r[0] for r in old + new}


@dataclass
class Inspection:
    """The current publication and what is wrong with `exports/`: parts to rewrite, whether pages must be redone."""

    previous: Publication | None
    redo: Parts
    pages_ok: bool
    foreign: bool = False  # tables changed by commits that did not publish: which articles is not known

    @property
    def whole(self) -> bool:
        return self.previous is not None and not any(self.redo.values()) and self.pages_ok


def inspect(con, p: Paths, extractor_version: str) -> Inspection:
    """Verify `exports/` against the lake's publication: missing or damaged files (sha256), tables
    changed by commits that did not publish (another writer), stale or unfinished pages."""
    from pipelines.report.stamps import pages_complete

    previous = recorded(con, p)
    if previous is None or exports.read_manifest(p.exports) is None:  # never published, or exports/ is gone
        return Inspection(None, {t: set(exports.ALL_PARTS) for t in SCHEMAS}, False)
    snapshot = lake.current_snapshot(con)
    whole = exports.changed_columns(con, previous.manifest) | lake.changed_tables(con, previous.snapshot_id, snapshot)
    redo = _merge(exports.damaged(p.exports, previous.manifest), {t: set(exports.ALL_PARTS) for t in whole})
    pages_ok = in_step(p, previous) and pages_complete(p.exports, extractor_version)
    return Inspection(previous, redo, pages_ok, foreign=bool(whole))


# --- staging a publication inside the commit ----------------------------------------------------

def prepare(con, p: Paths, extractor_version: str, touched: Touched) -> dict:
    """Inside the commit's transaction: check the cross-table rules over what the commit changes (keys
    its rows share, rows pointing into them) or over every row (IntegrityError refuses the commit),
    stage the export parts that change as the transaction sees them, with what the pages must redo,
    record the manifest in `_publication`, and return what the commit message should note. Run again
    on each retry of the commit, against what won the race."""
    state = inspect(con, p, extractor_version)
    # what only the whole lake shows about the articles this commit changes (keys they share, rows
    # pointing into them); every row after a commit that did not publish, or when most articles change
    known = state.previous is not None and not state.foreign
    validate.check_snapshot(con, touched.scope if known else None)
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
        header = {"snapshot_id": snapshot, "generated_at": generated, "extractor_version": extractor_version}
        base = p.exports if previous else None
        compared = {t: exports.differing_parts(con, t, p.exports) if previous else set(exports.ALL_PARTS)
                    for t in touched.compare}
        whole = _merge(state.redo, compared)
        small = known and touched.articles is not None and len(touched.articles) <= SMALL_COMMIT
        delta = exports.Delta(frozenset(touched.articles), whole, touched.staged) if small else None
        manifest, text = exports.stage(con, folder, base, previous.manifest if previous else None,
                                       _merge(whole, _parts_to_write(con, touched, state)), header, delta)
        # the pages of what changed, or every page when those of the current publication are not whole
        whole_pages = state.foreign or touched.articles is None or not state.pages_ok
        articles = None if whole_pages else sorted(touched.articles)
        plan = {"articles": articles, "people_before": sorted(touched.people_before)}
        (folder / PLAN).write_text(json.dumps(plan), encoding="utf-8")
        faults.crash_point("publish")
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", [name, snapshot, text])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a full disk gets its space back at once
        _IN_PROGRESS.discard(name)
        raise
    return {"publication": name}


def commit(con, p: Paths, changes: list[lake.BucketChange], errors: Path | None, extractor_version: str,
           note: dict | None = None) -> tuple[int | None, Publication | None]:
    """Commit `changes` with a new publication in one snapshot and bring `exports/` to it; or, when
    nothing changed, a snapshot with only a new publication if `exports/` is missing, damaged or
    stale; else no snapshot. Returns (the snapshot or None, the publication it records). One
    publisher at a time: `exports/` is first brought to what the lake names."""
    with _lock(p):
        _sync_before(p, con)
        if not changes and errors is None and inspect(con, p, extractor_version).whole:
            return None, None
        touched = touched_parts(con, changes, errors is not None)
        snapshot = None
        for _ in range(PREDICTION_RETRIES):
            published = None
            try:
                snapshot = lake.commit(con, changes, errors, extractor_version, note, force=True,
                                       before_commit=lambda c, touched=touched: prepare(c, p, extractor_version, touched))
                published = recorded(con, p)
            finally:
                _drop_attempts(p, published)
            if published is not None and published.snapshot_id == snapshot:
                sync(p, con, published)
                return snapshot, published
            # another writer's commit slipped in between (a catalog that retries commits itself): the
            # manifest names the wrong snapshot, so publish again, everything, on top of what is there now
            changes, errors, touched = [], None, everything()
        return snapshot, None


def _drop_attempts(p: Paths, published: Publication | None) -> None:
    """Remove the staging folders this process wrote for commits that did not happen (a conflict
    retried, a full disk, an error), keeping the one the lake records (`sync` moves it in). When
    what it records could not be read here (an interrupt or a catalog error right after the
    commit), it is read again; if that fails too, nothing is removed: `clear_leftovers` decides
    under the lock later, knowing which folder the lake still needs."""
    keep = published.name if published is not None else _recorded_name(p)
    if keep is not _UNKNOWN:
        for name in _IN_PROGRESS:
            if name != keep:
                shutil.rmtree(root(p) / name, ignore_errors=True)
    _IN_PROGRESS.clear()


_UNKNOWN = object()


def _recorded_name(p: Paths) -> object:
    """The name of the publication the lake records, None before the first, _UNKNOWN when unreadable."""
    try:
        pub = current(p)
    except (duckdb.Error, OSError):
        return _UNKNOWN
    return pub.name if pub is not None else None


def _sync_before(p: Paths, con) -> None:
    """`sync` at the start of a commit. A publication whose move cannot be finished (a page that fails
    to render, a file it cannot write) must not stop every later build, one of which may remove the
    article at fault: the failure is logged, and every page is made again by this commit (`sync`
    already marks them stale when a move is left unfinished)."""
    try:
        sync(p, con)
    except Exception as exc:  # noqa: BLE001 - logged and recovered by this commit's own publication
        _log.warning("exports/ could not be brought to the lake's publication (%s: %s); this build makes every "
                     "page again", type(exc).__name__, exc)
        _pages_stale(p)


def _pages_stale(p: Paths) -> None:
    """Make the next `write_pages` redo every page (the stamp says nothing made them)."""
    from pipelines.report.stamps import VERSION_FILE

    (p.exports / "html" / VERSION_FILE).unlink(missing_ok=True)


# --- bringing exports/ to the lake's publication ------------------------------------------------

@contextlib.contextmanager
def _lock(p: Paths, wait: bool = True) -> Iterator[bool]:
    """The publisher's lock (the kernel frees it when its holder dies); yields whether it is held
    (False only with `wait=False`, when another process holds it)."""
    root(p).mkdir(parents=True, exist_ok=True)
    with open(root(p) / LOCK, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def sync(p: Paths, con=None, pub: Publication | None = None) -> Publication | None:
    """Bring `exports/` to the publication the lake records (read on `con` when given; `pub` when the
    caller has just read it there), when its build staged it and did not finish: move the staged
    parts in, write the data package, the zip and manifest.json, then the pages its plan names;
    remove staging leftovers. The caller holds the lock. Returns the lake's publication. A damaged
    `exports/` with nothing staged is published again by the next commit (`inspect` names its parts)."""
    if con is None:
        if not lake.exists(p):
            return None
        with lake.reading(p) as own:
            return sync(p, own)
    _drop_legacy(p)
    pub = pub or recorded(con, p)
    if pub is not None and not in_step(p, pub):
        folder = root(p) / pub.name
        if folder.is_dir():
            faults.crash_point("mirror")  # committed, not yet in exports/: readers see the previous files
            _move_in(folder, p.exports)
            _finish(p, pub, json.loads((folder / PLAN).read_text(encoding="utf-8")))
            shutil.rmtree(folder, ignore_errors=True)
        else:  # its staging is lost (or exports/ was damaged): which pages it changed is not known
            _pages_stale(p)
    clear_leftovers(p, keep=pub.name if pub is not None and not in_step(p, pub) else None)
    return pub


def _move_in(folder: Path, target: Path) -> None:
    """Rename every staged Parquet part over its file in `target` (one rename each; a rerun after a
    kill moves the ones left)."""
    for staged in sorted(folder.glob("*/*.parquet")):
        dest = target / staged.parent.name / staged.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, dest)


def _finish(p: Paths, pub: Publication, plan: dict) -> None:
    """With the parts in `exports/`: the texts (manifest.json last), then the pages, then the mark
    that the pages are this snapshot's."""
    from pipelines.report import article_store
    from pipelines.report.publish import write_pages

    exports.write_texts(p.exports, pub.manifest, pub.manifest_text)
    write_pages(p.exports, pub.manifest["extractor_version"], plan["articles"], plan["people_before"])
    article_store.write(p.exports / "html" / PAGES_OF, f"{pub.snapshot_id}\n")


def catch_up(p: Paths) -> Publication | None:
    """Wait for the publisher's lock and bring `exports/` to the lake's publication (`sync`)."""
    if not lake.exists(p):
        return None
    with _lock(p):
        return sync(p)


def push(p: Paths) -> Publication | None:
    """Bring the copy on object storage (CLAIMS_EXPORTS_URL, `mirror.push`) to `exports/`, under the
    publisher's lock, so no build moves files in while they are sent; returns the lake's publication."""
    if mirror.configured() is None:
        return current(p)
    with _lock(p):
        pub = sync(p)
        if pub is not None and in_step(p, pub):
            mirror.push(p.exports, pub.manifest)
        return pub


def repair(p: Paths) -> bool:
    """What a reader does: if `exports/` is behind the lake (a build killed after its commit) and no
    build is publishing, finish the move. Returns True when it did. Never fails or waits: a
    read-only folder, a build holding the lock, or a move that cannot be finished (logged; the next
    build makes every page again) leaves `exports/` as it is."""
    try:
        if not any(d.is_dir() for d in root(p).glob("*")):  # nothing staged to finish: the lake is not asked
            return False
        pub = current(p)
        if pub is None or in_step(p, pub) or not (root(p) / pub.name).is_dir():
            return False
        with _lock(p, wait=False) as held:
            if held:
                sync(p)
            return held
    except (OSError, duckdb.Error):
        return False
    except Exception as exc:  # noqa: BLE001 - a reader is never failed by the move it tried to finish
        _log.warning("exports/ could not be brought to the lake's publication (%s: %s)", type(exc).__name__, exc)
        return False


def clear_leftovers(p: Paths, keep: str | None = None) -> list[str]:
    """Remove staging folders of builds that are dead (killed or failed before their commit, or after
    their move) except `keep` (committed, not yet moved in); returns the names removed."""
    base = root(p)
    if not base.is_dir():
        return []
    removed = []
    for f in base.iterdir():
        if f.is_dir() and f.name != keep and f.name not in _IN_PROGRESS and not _alive(_owner(f.name)):
            shutil.rmtree(f, ignore_errors=True)
            removed.append(f.name)
    return removed


def _drop_legacy(p: Paths) -> None:
    """The layout before: `exports` a symbolic link into `publications/`, article pages in `pages/`.
    The link goes (the next commit publishes every part and page into a real folder), then those
    folders, whenever they are there (a kill between the two leaves them for the next time)."""
    if p.exports.is_symlink():
        p.exports.unlink()
    for name in LEGACY:
        if (p.warehouse_dir / name).is_dir():
            shutil.rmtree(p.warehouse_dir / name, ignore_errors=True)


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
    """What `claims export` does: bring `exports/` to the lake, publishing again whatever is missing or damaged."""
    con = lake.connect(p, read_only=False)
    try:
        commit(con, p, [], None, extractor_version, note={"reason": "export"})
    finally:
        con.close()
    return current(p)
