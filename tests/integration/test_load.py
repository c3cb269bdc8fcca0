"""The mixed load in short form (tests/load/mixed.py; `make loadtest` runs the full 50 users × 60 s): signed-in
users reading and editing at once against gunicorn + PostgreSQL give no errors and lose no edits."""
from __future__ import annotations

import secrets

import pytest

from kb.auth.passwords import hash_password
from tests.live_server import Server
from tests.load.mixed import lost_edits, plan_items, prepare, run_load, summary

USERS, SECONDS = 15, 8


@pytest.mark.slow  # real gunicorn under load
@pytest.mark.only_backend("postgresql")  # the many-user server
def test_concurrent_readers_and_editors_get_no_errors_and_lose_no_edits(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    password = "Belastning-" + secrets.token_hex(4)
    users, slugs = prepare(app, USERS, hash_password(password))
    before = plan_items(app)
    server = Server(url, secrets.token_hex(32), tmp_path / "instance",
                    extra_env={"KB_LOGIN_RATE_LIMIT": "1000 per minute"})
    try:
        report = run_load(server.url, users, slugs, password, SECONDS)
    finally:
        server.stop()
    lost = lost_edits(report, before, plan_items(app))
    print("\n" + summary(report, SECONDS, lost))
    if report.errors:  # the whole server log in the captured output: an assertion message is cut short
        print(server.log_tail(200_000))
    assert report.requests["login"] == USERS and sum(report.confirmed_edits.values()) >= USERS // 2
    assert sum(report.requests[k] for k in ("task", "search", "profession", "who-may")) >= USERS
    assert not report.errors, (report.errors[:10], server.log_tail())
    assert not lost, lost
