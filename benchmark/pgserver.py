"""A throw-away PostgreSQL server, started from the installed binaries (initdb + pg_ctl): the benchmark's, and the
test session's (tests/pg_server.py uses this one, so the app package never imports from tests). PostgreSQL will not
run as root, so as root it runs as the Debian package's `postgres` user.
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
    settings: str = "-c shared_buffers=256MB"  # extra `-c name=value` options
    stop_mode: str = "fast"

    def _as_owner(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def start(self) -> None:
        data = self.root / "data"
        subprocess.run(self._as_owner(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                      "-E", "UTF8", "--no-locale"), check=True, capture_output=True)
        # Durability is irrelevant for a database we throw away.
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c full_page_writes=off -c synchronous_commit=off {self.settings}")
        subprocess.run(self._as_owner(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                      str(self.root / "server.log"), "-w", "-t", "60", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(self._as_owner(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                                      self.stop_mode, "stop"), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin_execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str) -> str:
        self.admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.admin_execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def version(self) -> str:
        out = subprocess.run([str(self.bindir / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()


def start(settings: str | None = None, stop_mode: str = "fast", prefix: str = "kb-bench-pg-") -> ThrowawayPostgres:
    """Start a server in a fresh temporary folder; FileNotFoundError when the binaries are not installed."""
    bindir = server_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        raise FileNotFoundError(
            "PostgreSQL-serverens programmer (initdb, pg_ctl) findes ikke (Debian-pakken 'postgresql')")
    root = Path(tempfile.mkdtemp(prefix=prefix))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        owner = pwd.getpwnam(run_as)
        os.chown(root, owner.pw_uid, owner.pw_gid)
    server = ThrowawayPostgres(bindir=bindir, root=root, port=_loopback_port(), run_as=run_as, stop_mode=stop_mode,
                               **({"settings": settings} if settings is not None else {}))
    server.start()
    return server
