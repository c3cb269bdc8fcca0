"""Import jobs (importkørsler): the uploaded file and the job's state, kept in the database (table import_job)
between the dry run and the commit, and the work itself done on a background thread that reports its progress.

Why a thread: a 2,000-row commit takes longer than a web request should (gunicorn kills a worker whose request runs
past its timeout). Why the database: the page that shows progress may be answered by another worker process or
another app server, and app servers keep nothing on local disk. The status page asks again every two seconds (a
Refresh header, no JavaScript needed). A job is named by a random token; it belongs to the user who uploaded the
file, and everyone else is told it does not exist. Jobs older than a day are removed when the next file comes.

Jobs run on a bounded pool per process (KB_IMPORT_WORKERS, default 2): every upload used to start its own thread,
and ten hostile files at once could take a worker's memory. A job waiting for a place says "queued" (shown as
waiting) in the database. A job records the process it runs in; when that process is gone (killed, restarted), a
page asked on the same machine says "stopped" at once, and any page does after STALLED without a report.

Every read and write of a job runs in its own short transaction on its own connection, never in the session that
does the import: the import stays all-or-nothing, and its progress is visible while it runs. On SQLite the import
holds the database's single write lock; a progress report that would have to wait for it is kept in this process
(`_live`) and written with the next report that gets through, so the import never waits on its own progress.
"""
from __future__ import annotations

import os
import re
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Optional

import sqlalchemy as sa
from blinker import Namespace
from flask import Flask

from kb.extensions import SQLITE_BUSY_MS, db
from kb.models.base import utcnow
from kb.models.transfer import ImportJob

_signals = Namespace()
# Sent after each progress report (sender: the app; job: its id; state: a copy of the state).
progress_reported = _signals.signal("transfer-progress")

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
MAX_AGE = 24 * 3600  # seconds a job is kept
STALLED = 15 * 60  # a running job that has not reported for this long was cut off (the server restarted)

TABLE = ImportJob.__table__
_live: dict[str, dict[str, Any]] = {}  # job → newest state this process could not write yet (SQLite only)
_live_lock = threading.Lock()
# The bounded import workers, per process (a fork gets its own; threads do not survive a fork) and size.
_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
HOST = socket.gethostname()


def _pool(size: int) -> ThreadPoolExecutor:
    key = (os.getpid(), max(1, size))
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ThreadPoolExecutor(max_workers=key[1], thread_name_prefix="import")
        return pool


def _gone(worker: dict[str, Any] | None) -> bool:
    """The process that holds the job was on this machine and is no longer alive."""
    if not worker or worker.get("host") != HOST or not isinstance(worker.get("pid"), int):
        return False
    if worker["pid"] == os.getpid():
        return False
    try:
        os.kill(worker["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


class _Busy(Exception):
    """SQLite's write lock is held (by the import itself): try again with the next report."""


def _write(values: dict[str, Any], token: str, wait: bool = True, where=None) -> int:
    """One UPDATE of one job in its own transaction; returns the rows changed. With wait=False on SQLite it gives
    up at once when the write lock is taken instead of waiting for the busy timeout."""
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"
    stmt = sa.update(TABLE).where(TABLE.c.id == token)
    if where is not None:
        stmt = stmt.where(where)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection  # the sqlite3 connection: a PRAGMA outside SQLAlchemy's transaction
        if sqlite and not wait:
            raw.execute("PRAGMA busy_timeout=0")
        try:
            with conn.begin():
                return conn.execute(stmt.values(**values)).rowcount
        except sa.exc.OperationalError as exc:
            if sqlite and not wait and "locked" in str(exc):
                raise _Busy from exc
            raise
        finally:
            if sqlite and not wait:
                raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")


class Job:
    def __init__(self, token: str, state: dict[str, Any]):
        self.id = token
        self.state = state

    def data(self) -> bytes:
        with db.engine.connect() as conn:
            data = conn.execute(sa.select(TABLE.c.upload).where(TABLE.c.id == self.id)).scalar()
        if data is None:
            raise FileNotFoundError(f"import job {self.id[:8]}: the uploaded file is gone")
        return data

    def save(self, wait: bool = True) -> None:
        """Store the state. A progress report (wait=False) that meets SQLite's write lock stays in this process."""
        self.state["updated"] = time.time()
        try:
            _write({"state": dict(self.state)}, self.id, wait=wait)
        except _Busy:
            with _live_lock:
                _live[self.id] = dict(self.state)
            return
        with _live_lock:
            _live.pop(self.id, None)

    # The dry run's result can be large (a change per row); it is kept apart from the small state that every
    # progress report rewrites and every poll of the page reads.
    def save_plan(self, summary: dict[str, Any]) -> None:
        _write({"plan": summary}, self.id)

    def plan(self) -> dict[str, Any]:
        with db.engine.connect() as conn:
            return conn.execute(sa.select(TABLE.c.plan).where(TABLE.c.id == self.id)).scalar() or {}

    def forget_upload(self) -> None:
        _write({"upload": None}, self.id)

    @property
    def running(self) -> bool:
        return self.state.get("status") in ("queued", "running")

    def claim_commit(self) -> bool:
        """Only one commit per job, however often the button is pressed and whichever server takes the press."""
        return _write({"commit_claimed": True}, self.id, where=TABLE.c.commit_claimed.is_(False)) == 1


def _clean(conn) -> None:
    conn.execute(sa.delete(TABLE).where(TABLE.c.created_at < utcnow() - timedelta(seconds=MAX_AGE)))


def create(app: Flask, *, user_id: int, kind: str, filename: str, fmt: str, data: bytes) -> Job:
    token = secrets.token_urlsafe(32)
    state = {"user_id": user_id, "kind": kind, "filename": filename, "format": fmt, "created": time.time(),
             "phase": "dry_run", "status": "queued", "step": "queued", "done": 0, "total": 0, "updated": time.time()}
    with db.engine.begin() as conn:
        _clean(conn)
        conn.execute(sa.insert(TABLE).values(id=token, user_id=user_id, kind=kind, filename=filename, format=fmt,
                                             upload=data, state=state, plan={}, commit_claimed=False,
                                             created_at=utcnow()))
    return Job(token, state)


def _find(token: str) -> Optional[dict[str, Any]]:
    with db.engine.connect() as conn:
        state = conn.execute(sa.select(TABLE.c.state).where(TABLE.c.id == token)).scalar()
    with _live_lock:
        live = _live.get(token)
    if state is not None and live is not None and live.get("updated", 0) > state.get("updated", 0):
        return dict(live)
    return state


def load(app: Flask, token: Optional[str], user_id: int) -> Optional[Job]:
    """The user's own job, or None (unknown, expired, malformed token, or someone else's)."""
    if not token or not TOKEN_RE.match(token):
        return None
    state = _find(token)
    if state is None or state.get("user_id") != user_id:
        return None
    job = Job(token, state)
    if state.get("status") in ("queued", "running") and (
            _gone(state.get("worker")) or time.time() - state.get("updated", 0) > STALLED):
        state.update(status="failed", error="stalled")
    return job


def start(app: Flask, job: Job, phase: str, **params: Any) -> None:
    """Queue the phase (dry_run or commit) on this process's bounded pool of import workers, or run it in this
    thread when KB_TRANSFER_BACKGROUND is off (tests, and the CLI's habit)."""
    job.state.update(phase=phase, status="queued", step="queued", done=0, total=0, error=None,
                     worker={"host": HOST, "pid": os.getpid()})
    job.save()
    if app.config.get("KB_TRANSFER_BACKGROUND", True):
        _pool(app.config.get("KB_IMPORT_WORKERS", 2)).submit(run, app, job.id, phase, params)
    else:
        run(app, job.id, phase, params)


def run(app: Flask, token: str, phase: str, params: dict[str, Any]) -> None:
    from kb.transfer import commit, dry_run

    with app.app_context():
        job = Job(token, _find(token) or {})
        job.state.update(status="running", worker={"host": HOST, "pid": os.getpid()})
        job.save()

        def progress(step: str, done: int, total: int) -> None:
            job.state.update(step=step, done=done, total=total)
            job.save(wait=False)
            progress_reported.send(app, job=token, state=dict(job.state))

        kind, filename = job.state["kind"], job.state["filename"]
        try:
            if phase == "dry_run":
                plan = dry_run.plan_import(db.session, kind, filename, job.data(), progress)
                db.session.rollback()
                job.save_plan(plan.summary())
                job.state.update(versions=plan.versions, ok=plan.ok, has_work=bool(plan.additions or plan.changes))
            else:
                result = commit.commit_import(
                    db.session, kind, filename, job.data(), reason=params["reason"], user_id=params["user_id"],
                    expected_versions=job.state.get("versions"), progress=progress)
                job.state["result"] = {"created": result.created, "changed": result.changed,
                                       "unchanged": result.unchanged}
                job.forget_upload()  # written: the file is not needed any more
            job.state.update(status="done", step="done")
        except commit.ImportRefused as exc:
            db.session.rollback()  # release the write lock before the job's own writes
            job.save_plan(exc.plan.summary())  # the errors found now
            job.state.update(status="failed", error="refused", ok=False)
        except commit.ImportStale as exc:
            db.session.rollback()
            job.state.update(status="failed", error="stale", stale=exc.slugs[:50])
        except Exception as exc:  # a database error: say so, never leave the job "running"
            app.logger.exception("import job %s failed", token)
            db.session.rollback()
            job.state.update(status="failed", error="crashed", detail=f"{type(exc).__name__}: {exc}"[:500])
        finally:
            db.session.remove()
        job.save()
        progress_reported.send(app, job=token, state=dict(job.state))
