"""Serving the exports folder read-only over HTTP (Starlette + uvicorn).

What is served is the exports folder, which follows the lake (`pipelines.store.publication`): each
file is whole (replaced by rename), and when a build killed after its commit left the folder behind,
the server finishes the move (checked at most every RESOLVE_TTL_S). Without a lake (a copied exports
folder) the folder itself is served.

Only files that are in the exports folder (and its `html/` pages) are served: names are checked
against what is there, never joined blindly, so `/../`, encoded forms and symlinks get 404. Only
GET and HEAD are allowed. Parquet comes with range requests (DuckDB's httpfs reads tables in place),
an ETag from its sha256 in the manifest and caching headers.

Slow clients are shed (see `server_config`): request headers must arrive within
HEADER_TIMEOUT_S of the connection opening (or of the previous response, on a kept-alive one),
an idle kept-alive connection closes after KEEP_ALIVE_TIMEOUT_S, headers are at most
MAX_HEADER_BYTES, a client that stops reading a response is dropped after WRITE_TIMEOUT_S, and
connections beyond MAX_CONNECTIONS are closed on arrival.
"""

from __future__ import annotations

import html
import json
import logging
import threading
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from pipelines.schemas import SCHEMAS

MEDIA_TYPES = {".parquet": "application/vnd.apache.parquet", ".json": "application/json", ".zip": "application/zip",
               ".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8",
               ".js": "text/javascript; charset=utf-8"}
# the exports, each table's folder of parts, the dashboard, the article pages, the person pages, the article list's and the search index's parts
SERVED_FOLDERS = {(), ("html",), ("html", "articles"), ("html", "people"), ("html", "list"), ("html", "search"),
                  *((t,) for t in SCHEMAS)}
CACHE = "public, max-age=300, must-revalidate"
HEADER_TIMEOUT_S = 10.0  # a browser or DuckDB sends its headers in milliseconds; a drip-feeder never finishes
KEEP_ALIVE_TIMEOUT_S = 5.0  # uvicorn's default: DuckDB's range reads reuse the connection within it
MAX_CONNECTIONS = 64  # a dataset download server for a few users; more at once is a flood
MAX_HEADER_BYTES = 16 * 1024  # h11's default; a request line and headers larger than this are refused
WRITE_TIMEOUT_S = 30.0  # a client that takes no byte of a response for this long has stopped reading
RESOLVE_TTL_S = 1.0  # a new build is served within a second; one catalog query per second at most


class CurrentFolder:
    """The folder to serve: `exports/`. When a build killed after its commit left it behind the lake
    (checked on one read-only connection at most every RESOLVE_TTL_S), the move is finished in a
    thread of its own: requests go on being served from what is there meanwhile."""

    def __init__(self, exports: Path, lake_paths=None):
        self.exports, self.lake_paths = exports, lake_paths
        self._lock = threading.Lock()
        self._con = None
        self._checked = float("-inf")
        self._repairing: threading.Thread | None = None

    def __call__(self) -> Path:
        with self._lock:
            if time.monotonic() - self._checked >= RESOLVE_TTL_S:
                self._checked = time.monotonic()
                self._check()
            return self.exports

    def _check(self) -> None:
        import duckdb

        from pipelines.store import lake, publication

        if self.lake_paths is None or not lake.exists(self.lake_paths):
            return
        try:
            if self._con is None:
                self._con = lake.connect(self.lake_paths, read_only=True)
            pub = publication.recorded(self._con, self.lake_paths)
        except duckdb.Error:
            self.close()
            return
        if publication.in_step(self.lake_paths, pub) or (self._repairing and self._repairing.is_alive()):
            return
        self._repairing = threading.Thread(target=self._repair, name="exports-repair", daemon=True)
        self._repairing.start()

    def _repair(self) -> None:
        """Finish a killed build's move (pages may take a while); a failure is logged, never raised."""
        from pipelines.store import publication

        try:
            publication.repair(self.lake_paths)
        except Exception:  # noqa: BLE001 - the server keeps serving what is there
            logging.getLogger(__name__).exception("could not bring exports/ up to the lake")

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def _manifest(exports: Path) -> dict:
    try:
        return json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"generated_at": None, "tables": []}


def _servable(exports: Path, name: str) -> Path | None:
    """The file called `name` in the exports folder (or html/, html/people/ in it), if it is a regular file there."""
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    if tuple(parts[:-1]) not in SERVED_FOLDERS:
        return None
    folder = exports.joinpath(*parts[:-1])
    try:
        listing = {p.name: p for p in folder.iterdir()}
    except OSError:
        return None
    path = listing.get(parts[-1])
    if path is None or path.is_symlink() or not path.is_file():
        return None
    if path.suffix not in MEDIA_TYPES:
        return None
    return path


def _index_page(exports: Path) -> str:
    m = _manifest(exports)
    rows = []
    for t in m["tables"]:
        cols = ", ".join(f"{c['name']} <small>({html.escape(c['type'])})</small>" for c in t["columns"])
        parts = " ".join(f"<a href=\"{html.escape(p['file'])}\" title=\"sha256 {p['sha256']}\">{p['part']:02d}</a>"
                         for p in t.get("parts", []) if p["rows"])
        rows.append(f"<tr><td>{html.escape(t['table'])}</td><td class=n>{t['rows']:,}</td><td class=n>{t['bytes']:,}</td>"
                    f"<td>{parts}</td><td>{cols}</td></tr>")
    pages = '<li><a href="html/index.html">annotated articles</a></li>' if (exports / "html" / "index.html").exists() else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Article claims dataset</title>
<style>body{{font:15px system-ui,sans-serif;margin:1.5rem;}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}}
td.n{{text-align:right}}code{{font-size:11px}}small{{color:#777}}</style></head><body>
<h1>Article claims dataset</h1><p>Generated {html.escape(str(m['generated_at']))}.</p>
<ul><li><a href="claims-dataset.zip">everything in one zip</a></li>
<li><a href="manifest.json">manifest.json</a> (every file with its sha256)</li>
<li><a href="datapackage.json">datapackage.json</a> (Frictionless Data)</li>{pages}</ul>
<table><thead><tr><th>table</th><th>rows</th><th>bytes</th><th>parts (files)</th><th>columns</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<p>Query in place: <code>SELECT count(*) FROM read_parquet(['http://HOST:PORT/claims/part-00.parquet', …])</code>
(DuckDB with httpfs; the parts of a table are listed in manifest.json).</p>
</body></html>"""


def create_app(exports: Path, lake_paths=None) -> Starlette:
    """The app serving the current publication of the lake at `lake_paths` (a `Paths`), else `exports`."""
    folder = CurrentFolder(Path(exports).absolute(), lake_paths)

    async def index(request: Request) -> Response:
        return HTMLResponse(_index_page(folder()))

    async def file(request: Request) -> Response:
        name = request.path_params["name"]
        exports = folder()
        path = _servable(exports, name)
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        sha = {p["file"]: p["sha256"] for t in _manifest(exports)["tables"] for p in t.get("parts", [])}.get(name)
        headers = {"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"}
        if sha:
            etag = f'"{sha}"'
            if request.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers={"ETag": etag, **headers})
            headers["ETag"] = etag
        response = FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=headers)
        if sha:
            response.headers["ETag"] = f'"{sha}"'  # the content hash, not FileResponse's mtime-based tag
        return response

    return Starlette(routes=[Route("/", index, methods=["GET", "HEAD"]),
                             Route("/{name:path}", file, methods=["GET", "HEAD"])])


def server_config(exports: Path, host: str = "127.0.0.1", port: int = 8750, *, header_timeout: float = HEADER_TIMEOUT_S,
                  keep_alive: float = KEEP_ALIVE_TIMEOUT_S, max_connections: int = MAX_CONNECTIONS,
                  write_timeout: float = WRITE_TIMEOUT_S, log_level: str = "info", lake_paths=None):
    """The uvicorn configuration `serve` runs: the app plus the slow-client limits."""
    import uvicorn

    from pipelines.serve_limits import guarded_protocol

    return uvicorn.Config(create_app(exports, lake_paths), host=host, port=port, log_level=log_level,
                          http=guarded_protocol(header_timeout, max_connections, write_timeout),
                          timeout_keep_alive=keep_alive, limit_concurrency=max_connections,
                          h11_max_incomplete_event_size=MAX_HEADER_BYTES)


def serve(exports: Path, host: str = "127.0.0.1", port: int = 8750, lake_paths=None) -> None:
    import uvicorn

    uvicorn.Server(server_config(exports, host, port, lake_paths=lake_paths)).run()
