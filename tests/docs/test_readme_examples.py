"""Every code block of README.md runs, on a copy of the shipped example, as a new user would type it.

Shell blocks run with bash in a fixture folder laid out like a checkout (`seeds/`, the Makefile,
`.venv` pointing at this interpreter's environment), Python blocks with this interpreter, SQL blocks
against the fixture warehouse. A block preceded by `<!-- readme-test: server ... -->` starts a server:
the test starts it on a free port (the README's port is replaced), runs the blocks that use it and
stops it by its handle. `<!-- readme-test: illustrative ... -->` marks the only blocks not run, each
with its reason. The `.venv/bin/claims` commands quoted inline in the README run too.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.__main__ import _connect  # the CLI's own way in, whatever the storage

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "seeds" / "000_80bca2bc6d16808f.txt"
README_PORT = "8750"
BLOCK = re.compile(r"(?:<!-- readme-test: (?P<mark>[\w-]+)(?P<why>.*?)-->\n)?```(?P<lang>\w*)\n(?P<code>.*?)```", re.S)
INLINE = re.compile(r"`(\.venv/bin/claims [^`]+|\.venv/bin/python -m pipelines [^`]+)`")
LANGS = {"sh", "python", "sql"}


def blocks() -> list[dict]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = [m.groupdict() for m in BLOCK.finditer(text)]
    return [b for b in found if b["lang"]]  # blocks without a language are diagrams, not code


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A folder like a fresh checkout after `make run`: returns (folder, environment)."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").exists() or not (venv / "bin" / "claims").exists():
        pytest.skip("not running inside the project's virtualenv (make test creates it)")
    root = tmp_path_factory.mktemp("checkout")
    (root / "seeds").mkdir()
    shutil.copy(SHIPPED, root / "seeds" / SHIPPED.name)
    for name in ("Makefile", "pyproject.toml", "dagster.yaml"):
        shutil.copy(REPO / name, root / name)
    os.utime(root / "pyproject.toml", (0, 0))  # older than the venv: make does not reinstall
    (root / ".venv").symlink_to(venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMS_", "DAGSTER_"))}
    env.update(CLAIMS_SEEDS=str(root / "seeds"), CLAIMS_WAREHOUSE=str(root / "warehouse" / "claims.sqlite"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
    built = subprocess.run([sys.executable, "-m", "pipelines", "build", "--ephemeral", "--no-progress"], cwd=root,
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    return root, env


def run_block(block: dict, root: Path, env: dict, port: str = README_PORT) -> subprocess.CompletedProcess:
    code = block["code"].replace(README_PORT, port)
    if block["lang"] == "python":
        cmd = [sys.executable, "-c", code]
    else:
        cmd = ["bash", "-e", "-o", "pipefail", "-c", code]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def server(checkout):
    """The README's serve command, started on a free port and stopped by its process handle."""
    root, env = checkout
    serve = next(b for b in blocks() if b["mark"] == "server")
    port = str(_free_port())
    proc = subprocess.Popen(["bash", "-c", "exec " + serve["code"].strip().replace(README_PORT, port)], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ids() -> list[str]:
    return [f"{i}-{b['lang']}-{b['code'].strip().splitlines()[0][:40]}" for i, b in enumerate(blocks())]


def test_readme_has_blocks_of_each_kind():
    kinds = {b["lang"] for b in blocks()}
    assert kinds <= LANGS, f"a block in a language this test does not run: {kinds - LANGS}"
    assert {"sh", "python", "sql"} <= kinds
    for b in blocks():
        if b["mark"]:
            assert b["mark"] in ("server", "illustrative") and b["why"].strip(), b


@pytest.mark.parametrize("index", range(len(blocks())), ids=_ids())
def test_readme_block_runs(index, checkout, request):
    block = blocks()[index]
    root, env = checkout
    if block["mark"] == "illustrative":
        pytest.skip(f"illustrative:{block['why']}")
    if block["mark"] == "server":
        port = request.getfixturevalue("server")  # running it is starting the server
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/html/index.html", timeout=10) as r:
            assert r.status == 200
        return
    if block["lang"] == "sql":
        con = _connect(env["CLAIMS_WAREHOUSE"])
        try:
            assert con.execute(block["code"]).fetchall()
        finally:
            con.close()
        return
    port = README_PORT
    if f":{README_PORT}" in block["code"]:
        port = request.getfixturevalue("server")
        if block["code"].lstrip().startswith("curl") and not shutil.which("curl"):
            pytest.skip("curl is not installed here")
    result = run_block(block, root, env, port)
    assert result.returncode == 0, f"README block failed:\n{block['code']}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr


def test_inline_cli_commands_in_the_readme_run(checkout):
    root, env = checkout
    commands = INLINE.findall((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 4
    for cmd in commands:
        if " serve" in cmd or "..." in cmd:
            continue  # the serve command is the server block's; "claims ..." is prose
        result = subprocess.run(["bash", "-c", cmd], cwd=root, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (cmd, result.stderr[-2000:])
        assert result.stdout.strip(), cmd


def test_served_pages_include_dashboard_search_index_and_person_pages(checkout, server):
    root, _ = checkout
    person = next((root / "warehouse" / "exports" / "html" / "people").glob("*.html")).name
    for path in ("html/index.html", "html/search/part-00.js", f"html/people/{person}", "html/people/index.html"):
        with urllib.request.urlopen(f"http://127.0.0.1:{server}/{path}", timeout=10) as r:
            assert r.status == 200 and r.read(), path
