"""A throw-away PostgreSQL server for the benchmark, started from the installed binaries (initdb + pg_ctl).

The same approach as the test session's server (tests/pg_server.py), kept here so the app package does not import
from tests. PostgreSQL will not run as root, so as root it runs as the Debian package's `postgres` user.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def server_bindir() -> Path | None:
    """KB_PG_BINDIR, else the newest /usr/lib/postgresql/<major>/bin, else wherever pg_ctl is on PATH."""
    if os.environ.get("KB_PG_BINDIR"):
        return Path(os.environ["KB_PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


def _loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ThrowawayPostgres:
    bindir: Path
    root: Path
    port: int
    run_as: str | None

    def _as_owner(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def start(self) -> None:
        data = self.root / "data"
        subprocess.run(self._as_owner(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                      "-E", "UTF8", "--no-locale"), check=True, capture_output=True)
        # Durability is irrelevant for a benchmark database we throw away; reads are what we measure.
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off -c shared_buffers=256MB")
        subprocess.run(self._as_owner(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                      str(self.root / "server.log"), "-w", "-t", "60", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(self._as_owner(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                                      "stop"), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def version(self) -> str:
        out = subprocess.run([str(self.bindir / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()


def start() -> ThrowawayPostgres:
    """Start a server in a fresh temporary folder; FileNotFoundError when the binaries are not installed."""
    bindir = server_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        raise FileNotFoundError(
            "PostgreSQL-serverens programmer (initdb, pg_ctl) findes ikke (Debian-pakken 'postgresql')")
    root = Path(tempfile.mkdtemp(prefix="kb-bench-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        owner = pwd.getpwnam(run_as)
        os.chown(root, owner.pw_uid, owner.pw_gid)
    server = ThrowawayPostgres(bindir=bindir, root=root, port=_loopback_port(), run_as=run_as)
    server.start()
    return server
