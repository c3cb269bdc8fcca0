"""Mixed load: many signed-in users reading and editing at once against gunicorn + PostgreSQL on loopback.

Each virtual user is a planner with a plan of their own. For the given time every user, on their own thread, picks
at random: a task page, a search, a profession page, the who-may API, or an edit (a task added to their plan).
Afterwards the plans are counted in the database: every edit the server confirmed must be there (no lost edits),
and no request may fail (5xx, connection error, or an answer other than the expected one).

    python -m tests.load.mixed --users 50 --seconds 60        # starts its own PostgreSQL and gunicorn
    make loadtest                                              # the same

tests/integration/test_load.py runs the short form (fewer users, seconds) in the test suite.
"""
from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from tests.live_server import Browser, Server

QUERIES = ["blodprøve", "medicin", "sårpleje", "PVK", "dokumentation", "kateter", "injektion", "epikrise",
           "medicinhandtering", "hjemmesygepleje", "vaccination", "ernæring"]


@dataclass
class VirtualUser:
    username: str
    plan_id: int


@dataclass
class Report:
    requests: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    confirmed_edits: Counter = field(default_factory=Counter)  # plan id → items the server said it saved
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, problem: str | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.latencies.append(seconds)
            if problem:
                self.errors.append(f"{kind}: {problem}")


def prepare(app, users: int, password_hash: str) -> tuple[list[VirtualUser], dict]:
    """Planner accounts with a plan each, and the slugs the users will visit."""
    from kb import models as m
    from kb.extensions import db

    with app.app_context():
        run = secrets.token_hex(3)
        out = []
        for i in range(users):
            user = m.User(username=f"last-{run}-{i}", role="planner", password_hash=password_hash)
            plan = m.ShiftPlan(title=f"Belastningsplan {i}", owner=user)
            db.session.add_all([user, plan])
            db.session.flush()
            out.append(VirtualUser(user.username, plan.id))
        db.session.commit()
        nurse = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
        tasks = db.session.scalars(sa.select(m.Task.slug).where(m.Task.holders.contains(nurse))
                                   .order_by(m.Task.slug)).all()
        slugs = {"tasks": tasks, "professions": db.session.scalars(sa.select(m.Profession.slug)).all()}
    return out, slugs


def plan_items(app) -> Counter:
    from kb import models as m
    from kb.extensions import db

    with app.app_context():
        return Counter(dict(db.session.execute(
            sa.select(m.ShiftPlanItem.plan_id, sa.func.count()).group_by(m.ShiftPlanItem.plan_id)).all()))


def _user_loop(base: str, user: VirtualUser, slugs: dict, password: str, until: float, report: Report,
               seed: int) -> None:
    rnd = random.Random(seed)
    browser = Browser()
    started = time.perf_counter()
    try:
        browser.login(base, user.username, password)
    except Exception as exc:  # noqa: BLE001 - a failed login is an error to report, not a crash of the run
        report.record("login", time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        return
    report.record("login", time.perf_counter() - started)
    while time.perf_counter() < until:
        action = rnd.choices(["task", "search", "profession", "who-may", "edit"], [35, 20, 10, 15, 20])[0]
        started = time.perf_counter()
        problem = None
        try:
            if action == "edit":
                task = rnd.choice(slugs["tasks"])
                url = f"{base}/plans/{user.plan_id}/items/new"
                status, headers, body = browser.form(url, {
                    "csrf_token": browser.token(url), "task": task, "from_profession": "sygeplejerske",
                    "to_profession": "social-og-sundhedsassistent", "occurrences_per_week": "3",
                    "minutes_each": "10", "note": "belastningstest"})
                if status == 302 and headers.get("Location", "").endswith(f"/plans/{user.plan_id}"):
                    with report.lock:
                        report.confirmed_edits[user.plan_id] += 1
                else:
                    problem = f"{url} → {status}"
            else:
                url = {"task": lambda: f"{base}/tasks/{rnd.choice(slugs['tasks'])}",
                       "search": lambda: f"{base}/search?q={quote(rnd.choice(QUERIES))}",
                       "profession": lambda: f"{base}/professions/{rnd.choice(slugs['professions'])}",
                       "who-may": lambda: f"{base}/api/v1/tasks/{rnd.choice(slugs['tasks'])}/who-may"}[action]()
                status, _, _ = browser.request(url)
                if status != 200:
                    problem = f"{url} → {status}"
        except Exception as exc:  # noqa: BLE001 - connection errors count as errors
            problem = f"{type(exc).__name__}: {exc}"
        report.record(action, time.perf_counter() - started, problem)


def run_load(base: str, users: list[VirtualUser], slugs: dict, password: str, seconds: float,
             seed: int = 1) -> Report:
    report = Report()
    until = time.perf_counter() + seconds
    threads = [threading.Thread(target=_user_loop, args=(base, u, slugs, password, until, report, seed + i))
               for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    return report


def lost_edits(report: Report, before: Counter, after: Counter) -> dict[int, tuple[int, int]]:
    """Plans whose item count is not what the server confirmed: plan → (confirmed, stored)."""
    plans = set(report.confirmed_edits) | set(after) | set(before)
    return {p: (report.confirmed_edits[p], after[p] - before[p]) for p in plans
            if after[p] - before[p] != report.confirmed_edits[p]}


def summary(report: Report, seconds: float, lost: dict) -> str:
    total = sum(report.requests.values())
    lat = sorted(report.latencies) or [0.0]
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    lines = [f"requests: {total} in {seconds:.0f} s ({total / seconds:.0f}/s); "
             f"p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms",
             "by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report.requests.items())),
             f"edits confirmed: {sum(report.confirmed_edits.values())}; lost: {len(lost)}; errors: {len(report.errors)}"]
    lines += [f"  error: {e}" for e in report.errors[:20]]
    lines += [f"  lost: plan {p} confirmed {c}, stored {s}" for p, (c, s) in list(lost.items())[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from kb.app import create_app
    from kb.auth.passwords import hash_password
    from kb.extensions import db
    from kb.seeding import load_bundle, read_bundle
    from tests.pg_server import start_server

    server = start_server()
    app_server = None
    try:
        server.admin_execute('CREATE DATABASE "load"')
        url = server.url("load")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            load_bundle(db.session, read_bundle(app.config["KB_SEED_DIR"]))
        password = "Belastning-" + secrets.token_hex(4)
        users, slugs = prepare(app, args.users, hash_password(password))
        before = plan_items(app)
        app_server = Server(url, secrets.token_hex(32), Path(tempfile.mkdtemp(prefix="kb-load-")),
                            workers=args.workers, extra_env={"KB_LOGIN_RATE_LIMIT": "1000 per minute"})
        print(f"{args.users} users for {args.seconds:.0f} s against gunicorn ({args.workers} workers) + "
              f"PostgreSQL on loopback …", flush=True)
        report = run_load(app_server.url, users, slugs, password, args.seconds)
        lost = lost_edits(report, before, plan_items(app))
        print(summary(report, args.seconds, lost))
        return 1 if report.errors or lost else 0
    finally:
        if app_server:
            app_server.stop()
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
