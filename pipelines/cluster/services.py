"""Local stand-ins for the cluster's services, each on 127.0.0.1 and stopped by its own handle.

PostgreSQL (Debian's server, in a temporary data directory), an S3-compatible endpoint (moto's
standalone server) and a Dask scheduler with worker processes. The tests and
`scripts/bench_cluster.py` use them; a real deployment points the same settings at real servers (see deploy/).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 60
REPO_ROOT = Path(__file__).resolve().parents[2]
PG_SERVICE_USER = "postgres"  # initdb refuses to run as root: the server runs as this user then


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def _stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server programs (installs `postgresql` if root and missing)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env, capture_output=True)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL's server is not installed: apt-get install postgresql")
    return Path(found[-1]).parent


@dataclass
class Postgres:
    """A PostgreSQL server in `root`, password-protected; the password goes to PGPASSWORD only."""

    root: Path
    port: int = field(default_factory=free_port)
    user: str = "claims"
    dbname: str = "claims"
    password: str = field(default_factory=lambda: secrets.token_hex(12))

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        cmd = [str(postgres_bin() / args[0]), *args[1:]]
        if os.geteuid() == 0:  # the server refuses root
            cmd = ["runuser", "-u", PG_SERVICE_USER, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

    def start(self) -> Postgres:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(self.root, pwd.getpwnam(PG_SERVICE_USER).pw_uid, -1)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password)
        if os.geteuid() == 0:
            os.chown(pwfile, pwd.getpwnam(PG_SERVICE_USER).pw_uid, -1)
        self._run("initdb", "-D", str(self.root / "data"), "-U", self.user, "--pwfile", str(pwfile),
                  "-A", "scram-sha-256", "-E", "UTF8", "--no-sync")
        pwfile.unlink()
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "log"), "-w", "-t", str(START_TIMEOUT_S),
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off", "start")
        os.environ["PGPASSWORD"] = self.password
        try:
            self.psql(f"CREATE DATABASE {self.dbname}", db="postgres")
        except BaseException:
            self.stop()
            raise
        return self

    def psql(self, sql: str, db: str | None = None) -> str:
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", db or self.dbname,
                              "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                             check=True, capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=self.password))
        return out.stdout.strip()

    @property
    def dsn(self) -> str:
        """libpq connection string, without the password (that is in PGPASSWORD)."""
        return self.dsn_of(self.dbname)

    def dsn_of(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={self.user}"

    def new_database(self, dbname: str) -> str:
        """Create another database (one DuckLake catalog each); returns its connection string."""
        self.psql(f"CREATE DATABASE {dbname}", db="postgres")
        return self.dsn_of(dbname)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")


@dataclass
class S3Server:
    """moto's standalone S3-compatible server; sets the AWS_* variables the lake reads."""

    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self, bucket: str) -> S3Server:
        exe = Path(sys.executable).with_name("moto_server")
        self.proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:  # a start that fails half-way stops the server it started
            wait_for_port(self.port, self.proc)
            os.environ.update({"AWS_ACCESS_KEY_ID": "claims-test", "AWS_SECRET_ACCESS_KEY": secrets.token_hex(12),
                               "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": self.endpoint})
            self.client().create_bucket(Bucket=bucket)
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)


@dataclass
class DaskCluster:
    """A `dask scheduler` process and `dask worker` processes (one thread each, no nanny)."""

    root: Path
    port: int = field(default_factory=free_port)
    scheduler: subprocess.Popen | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _dask(self) -> str:
        return str(Path(sys.executable).with_name("dask"))

    def _env(self) -> dict[str, str]:
        """The caller's environment, with this checkout first on the path (workers run its code)."""
        path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)
        return dict(os.environ, PYTHONPATH=path)

    def start(self, n_workers: int) -> DaskCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "scheduler.log", "wb") as log:  # the child keeps its own copy of the handle
            self.scheduler = subprocess.Popen([self._dask(), "scheduler", "--host", "127.0.0.1", "--port",
                                               str(self.port), "--no-dashboard"], cwd=self.root, env=self._env(),
                                              stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_for_port(self.port, self.scheduler)
            for _ in range(n_workers):
                self.add_worker()
            if n_workers:  # a scheduler alone (no worker) is a valid cluster to test against
                self.wait_for_workers(n_workers)
        except BaseException:
            self.stop()
            raise
        return self

    def add_worker(self) -> subprocess.Popen:
        n = len(self.workers)
        with open(self.root / f"worker-{n}.log", "wb") as log:
            proc = subprocess.Popen([self._dask(), "worker", self.address, "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--host", "127.0.0.1", "--name", f"worker-{n}",
                                     "--local-directory", str(self.root / f"worker-{n}")],
                                    cwd=self.root, env=self._env(), stdout=subprocess.DEVNULL, stderr=log)
        self.workers.append(proc)
        return proc

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT_S, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT_S)

    def stop(self) -> None:
        for proc in self.workers:
            _stop(proc)
        if self.scheduler is not None:
            _stop(self.scheduler)
