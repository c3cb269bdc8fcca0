"""Production mode: two app servers (gunicorn with kb.gunicorn_conf, each with its own empty instance folder) share
one PostgreSQL. A login on one is valid on the other, an import uploaded on one is committed on the other, and
neither writes anything to its local disk."""
from __future__ import annotations

import json
import re
import secrets

import pytest

from tests.helpers import make_user
from tests.live_server import Browser, Server, wait_for_job

TASK = "tage-venoes-blodproeve"


@pytest.fixture
def two_servers(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    secret = secrets.token_hex(32)
    instances = [tmp_path / "instance-a", tmp_path / "instance-b"]
    servers = []
    try:
        for instance in instances:
            servers.append(Server(url, secret, instance))
        yield servers, instances
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow  # real gunicorn servers
@pytest.mark.only_backend("postgresql")  # several app servers share one PostgreSQL
def test_two_app_servers_share_logins_and_import_jobs_and_keep_nothing_on_disk(app, two_servers):
    (a, b), instances = two_servers
    make_user(app, "godkender", "reviewer")
    browser = Browser()

    # Log in on A; the session cookie is good on B (both sign with KB_SECRET_KEY).
    browser.login(a.url, "godkender")
    status, _, body = browser.request(b.url + "/overfoersel/")
    assert status == 200 and "godkender" in body

    # Upload on A: the dry run runs on A's thread; B shows its result.
    new_title = f"Venøs blodprøve {secrets.token_hex(3)}"
    job = browser.upload(a.url, "task", "rettelse.csv", ("\ufeffslug;title\r\n" + f"{TASK};{new_title}\r\n").encode())
    shown = wait_for_job(browser, f"{b.url}/overfoersel/koersel?id={job}")
    assert "1 ændrede" in shown and "0 fejl" in shown, re.sub(r"\s+", " ", shown)[-1500:]

    # Commit on B (its thread reads the upload from the database); A sees the job finish and the new title.
    browser.commit(b.url, job, "Rettelse fra to servere")
    assert "Importen er indlæst" in wait_for_job(browser, f"{a.url}/overfoersel/koersel?id={job}")
    assert json.loads(browser.request(f"{a.url}/api/v1/tasks/{TASK}")[2])["title"] == new_title

    # Nothing was written to either server's disk: no secret key, no uploads, no SQLite file.
    assert [sorted(p.relative_to(i) for p in i.rglob("*")) for i in instances] == [[], []]
