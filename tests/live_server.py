"""Real app servers for tests: gunicorn started the way the README's production command starts it, and a small
cookie-keeping HTTP client that does not follow redirects."""
from __future__ import annotations

import html
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import CSRF_RE, PASSWORD

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn app server started the way the README's production command starts it."""

    def __init__(self, database_url: str, secret: str, instance: Path, workers: int = 2,
                 extra_env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KB_DATABASE_URL": database_url, "KB_SECRET_KEY": secret,
               "KB_INSTANCE_PATH": str(instance), "KB_BIND": f"127.0.0.1:{self.port}", "KB_WORKERS": str(workers),
               "KB_THREADS": "4", **(extra_env or {})}
        # The error log goes to a file: a pipe nobody reads would fill up and stop the server mid-test.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:kb.gunicorn_conf", "kb.app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True)  # its own process group, so kill() reaches the workers too
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/v1/professions", timeout=10).read()
                return
            except OSError:  # refused while gunicorn starts, or slow on the first request
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()  # nobody else holds this server: never leave it running
                    self.log.seek(0)
                    raise RuntimeError(f"gunicorn did not start: {self.log.read().decode()[-2000:]}") from None
                time.sleep(0.2)

    def log_tail(self, size: int = 6000) -> str:
        """The end of the server's error log (tracebacks of 500s), for a failing test's message."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: the machine losing power, as far as the app can tell."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


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

    def form(self, url: str, fields: dict[str, str]):
        return self.request(url, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def login(self, base: str, username: str, password: str = PASSWORD) -> None:
        status, headers, _ = self.form(base + "/login", {"username": username, "password": password,
                                                         "csrf_token": self.token(base + "/login")})
        assert status == 302 and "/login" not in headers["Location"], status

    def upload(self, base: str, kind: str, name: str, data: bytes) -> str:
        """Upload a spreadsheet for a dry run; the job's id."""
        boundary, body = encode_multipart({"csrf_token": self.token(base + "/overfoersel/"), "kind": kind,
                                           "file": FileStorage(io.BytesIO(data), name, content_type="text/csv")})
        status, headers, text = self.request(base + "/overfoersel/import", body,
                                             f"multipart/form-data; boundary={boundary}")
        assert status == 303, (status, html.unescape(text)[-1500:])
        return parse_qs(urlsplit(headers["Location"]).query)["id"][0]

    def commit(self, base: str, job: str, reason: str) -> None:
        url = f"{base}/overfoersel/koersel?id={job}"
        status, _, _ = self.form(f"{base}/overfoersel/koersel/indlaes?id={job}",
                                 {"csrf_token": self.token(url), "reason": reason})
        assert status == 303, status


def wait_for_job(browser: Browser, url: str) -> str:
    deadline = time.monotonic() + 120
    while True:
        status, headers, body = browser.request(url)
        assert status == 200, (status, body[:500])
        if "Refresh" not in headers:
            return html.unescape(body)
        assert time.monotonic() < deadline, "the import job did not finish"
        time.sleep(0.3)


