"""Production mode: two app servers (gunicorn with kb.gunicorn_conf, each with its own empty instance folder) share
one PostgreSQL. A login on one is valid on the other, an import uploaded on one is committed on the other, and
neither writes anything to its local disk."""
from __future__ import annotations

import html
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import CSRF_RE, PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
TASK = "tage-venoes-blodproeve"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn app server started the way the README's production command starts it."""

    def __init__(self, database_url: str, secret: str, instance: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KB_DATABASE_URL": database_url, "KB_SECRET_KEY": secret,
               "KB_INSTANCE_PATH": str(instance), "KB_BIND": f"127.0.0.1:{self.port}", "KB_WORKERS": "2",
               "KB_THREADS": "2"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:kb.gunicorn_conf", "kb:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/v1/professions", timeout=10).read()
                return
            except OSError:  # refused while gunicorn starts, or slow on the first request
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {self.process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """A cookie jar that follows no redirects, so each answer can be looked at."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), self._NoRedirect)

    def request(self, url: str, data: bytes | None = None, content_type: str | None = None):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type} if content_type else {})
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode()

    def token(self, url: str) -> str:
        return CSRF_RE.search(self.request(url)[2]).group(1)


def _wait_for_job(browser: Browser, url: str) -> str:
    deadline = time.monotonic() + 120
    while True:
        status, headers, body = browser.request(url)
        assert status == 200, (status, body[:500])
        if "Refresh" not in headers:
            return html.unescape(body)
        assert time.monotonic() < deadline, "the import job did not finish"
        time.sleep(0.3)


@pytest.fixture
def two_servers(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("several app servers share one PostgreSQL")
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


def test_two_app_servers_share_logins_and_import_jobs_and_keep_nothing_on_disk(app, two_servers):
    (a, b), instances = two_servers
    make_user(app, "godkender", "reviewer")
    browser = Browser()

    # Log in on A; the session cookie is good on B (both sign with KB_SECRET_KEY).
    form = urlencode({"username": "godkender", "password": PASSWORD, "csrf_token": browser.token(a.url + "/login")})
    status, headers, _ = browser.request(a.url + "/login", form.encode(), "application/x-www-form-urlencoded")
    assert status == 302 and "/login" not in headers["Location"]
    status, _, body = browser.request(b.url + "/overfoersel/")
    assert status == 200 and "godkender" in body

    # Upload on A: the dry run runs on A's thread; B shows its result.
    new_title = f"Venøs blodprøve {secrets.token_hex(3)}"
    csv = ("\ufeffslug;title\r\n" + f"{TASK};{new_title}\r\n").encode()
    boundary, data = encode_multipart({"csrf_token": browser.token(a.url + "/overfoersel/"), "kind": "task",
                                       "file": FileStorage(io.BytesIO(csv), "rettelse.csv", content_type="text/csv")})
    status, headers, _ = browser.request(a.url + "/overfoersel/import", data,
                                         f"multipart/form-data; boundary={boundary}")
    assert status == 303, (status, re.sub(r"\s+", " ", html.unescape(_)))
    job = parse_qs(urlsplit(headers["Location"]).query)["id"][0]
    shown = _wait_for_job(browser, f"{b.url}/overfoersel/koersel?id={job}")
    assert "1 ændrede" in shown and "0 fejl" in shown, re.sub(r"\s+", " ", shown)[-1500:]

    # Commit on B (its thread reads the upload from the database); A sees the job finish and the new title.
    token = browser.token(f"{b.url}/overfoersel/koersel?id={job}")
    form = urlencode({"csrf_token": token, "reason": "Rettelse fra to servere"}).encode()
    status, _, _ = browser.request(f"{b.url}/overfoersel/koersel/indlaes?id={job}", form,
                                   "application/x-www-form-urlencoded")
    assert status == 303
    assert "Importen er indlæst" in _wait_for_job(browser, f"{a.url}/overfoersel/koersel?id={job}")
    assert json.loads(browser.request(f"{a.url}/api/v1/tasks/{TASK}")[2])["title"] == new_title

    # Nothing was written to either server's disk: no secret key, no uploads, no SQLite file.
    assert [sorted(p.relative_to(i) for p in i.rglob("*")) for i in instances] == [[], []]
