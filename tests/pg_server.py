"""A throw-away PostgreSQL server for the test session, started from the installed binaries (initdb + pg_ctl).

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user the Debian package
creates, in a temporary directory that user owns.
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


def find_bindir() -> Path | None:
    if os.environ.get("KB_PG_BINDIR"):
        return Path(os.environ["KB_PG_BINDIR"])
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def start(self) -> None:
        subprocess.run(self._cmd(str(self.bindir / "initdb"), "-D", str(self.datadir), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8", "--no-locale"),
                       check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
        subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-o", options,
                                 "-l", str(self.root / "server.log"), "-w", "-t", "60", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin_execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)


def start_server() -> PgServer:
    bindir = find_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package")
    run_as = None
    root = Path(tempfile.mkdtemp(prefix="kb-pg-"))
    if os.geteuid() == 0:
        run_as = "postgres"
        pw = pwd.getpwnam(run_as)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    server = PgServer(bindir=bindir, root=root, port=_free_port(), run_as=run_as)
    server.start()
    return server
