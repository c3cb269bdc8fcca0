"""Import jobs (importkørsler): the uploaded file and the job's state, kept in the instance folder between the dry
run and the commit, and the work itself done on a background thread that writes its progress into the state.

Why a thread and a state file: a 2,000-row commit takes longer than a web request should (gunicorn's sync
workers are killed after 30 s), and the page that shows progress may be answered by another worker process; a
small JSON file in the instance folder is seen by all of them. The status page asks again every two seconds
(a Refresh header, no JavaScript needed). One folder per job, named by a random token; the job belongs to the user
who uploaded the file, and everyone else is told it does not exist. Folders older than a day are removed when the
next file comes. Several servers need a shared KB_TRANSFER_DIR.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from blinker import Namespace
from flask import Flask

_signals = Namespace()
# Sent after each progress report is saved (sender: the app; job: its id; state: a copy of the state).
progress_reported = _signals.signal("transfer-progress")

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
MAX_AGE = 24 * 3600  # seconds a job folder is kept
STALLED = 15 * 60  # a running job that has not reported for this long was cut off (the server restarted)


def root(app: Flask) -> Path:
    return Path(app.config.get("KB_TRANSFER_DIR") or Path(app.instance_path) / "transfer")


@dataclass
class Job:
    id: str
    path: Path
    state: dict[str, Any]

    @property
    def upload(self) -> Path:
        return self.path / f"upload.{self.state['format']}"

    def data(self) -> bytes:
        return self.upload.read_bytes()

    def _write(self, name: str, value: Any) -> None:
        """Atomically: a reader never sees half a file."""
        tmp = self.path / f"{name}.tmp"
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path / name)

    def save(self) -> None:
        self.state["updated"] = time.time()
        self._write("state.json", self.state)

    # The dry run's result can be large (a change per row); it is kept apart from the small state file that
    # every progress report rewrites and every poll of the page reads.
    def save_plan(self, summary: dict[str, Any]) -> None:
        self._write("plan.json", summary)

    def plan(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / "plan.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @property
    def running(self) -> bool:
        return self.state.get("status") == "running"

    def claim_commit(self) -> bool:
        """Only one commit per job, however often the button is pressed."""
        try:
            os.close(os.open(self.path / "commit.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True


def _clean(base: Path) -> None:
    now = time.time()
    for folder in base.iterdir() if base.is_dir() else []:
        try:
            if now - folder.stat().st_mtime > MAX_AGE:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def create(app: Flask, *, user_id: int, kind: str, filename: str, fmt: str, data: bytes) -> Job:
    base = root(app)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    _clean(base)
    token = secrets.token_urlsafe(32)
    path = base / token
    path.mkdir(mode=0o700)
    job = Job(token, path, {"user_id": user_id, "kind": kind, "filename": filename, "format": fmt,
                            "created": time.time(), "phase": "dry_run", "status": "queued", "step": "queued",
                            "done": 0, "total": 0})
    fd = os.open(job.upload, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    job.save()
    return job


def load(app: Flask, token: Optional[str], user_id: int) -> Optional[Job]:
    """The user's own job, or None (unknown, expired, malformed token, or someone else's)."""
    if not token or not TOKEN_RE.match(token):
        return None
    path = root(app) / token
    try:
        state = json.loads((path / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("user_id") != user_id:
        return None
    job = Job(token, path, state)
    if job.running and time.time() - state.get("updated", 0) > STALLED:
        state.update(status="failed", error="stalled")
    return job


def start(app: Flask, job: Job, phase: str, **params: Any) -> None:
    """Run the phase (dry_run or commit) on a background thread, or in this thread when KB_TRANSFER_BACKGROUND
    is off (tests, and the CLI's habit)."""
    job.state.update(phase=phase, status="running", step="queued", done=0, total=0, error=None)
    job.save()
    if app.config.get("KB_TRANSFER_BACKGROUND", True):
        threading.Thread(target=run, args=(app, job.id, phase, params), name=f"import-{job.id[:8]}",
                         daemon=True).start()
    else:
        run(app, job.id, phase, params)


def run(app: Flask, token: str, phase: str, params: dict[str, Any]) -> None:
    from kb.extensions import db
    from kb.transfer import service

    with app.app_context():
        path = root(app) / token
        job = Job(token, path, json.loads((path / "state.json").read_text(encoding="utf-8")))

        def progress(step: str, done: int, total: int) -> None:
            job.state.update(step=step, done=done, total=total)
            job.save()
            progress_reported.send(app, job=token, state=dict(job.state))

        kind, filename = job.state["kind"], job.state["filename"]
        try:
            if phase == "dry_run":
                plan = service.plan_import(db.session, kind, filename, job.data(), progress)
                db.session.rollback()
                job.save_plan(plan.summary())
                job.state.update(versions=plan.versions, ok=plan.ok, has_work=bool(plan.additions or plan.changes))
            else:
                result = service.commit_import(
                    db.session, kind, filename, job.data(), reason=params["reason"], user_id=params["user_id"],
                    expected_versions=job.state.get("versions"), progress=progress)
                job.state["result"] = {"created": result.created, "changed": result.changed,
                                       "unchanged": result.unchanged}
                job.upload.unlink(missing_ok=True)  # written: the file is not needed any more
            job.state.update(status="done", step="done")
        except service.ImportRefused as exc:
            job.save_plan(exc.plan.summary())  # the errors found now
            job.state.update(status="failed", error="refused", ok=False)
        except service.ImportStale as exc:
            job.state.update(status="failed", error="stale", stale=exc.slugs[:50])
        except Exception as exc:  # a database error, a full disk: say so, never leave the job "running"
            app.logger.exception("import job %s failed", token)
            job.state.update(status="failed", error="crashed", detail=f"{type(exc).__name__}: {exc}"[:500])
        finally:
            db.session.remove()
        job.save()
        progress_reported.send(app, job=token, state=dict(job.state))
