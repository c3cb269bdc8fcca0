"""Faults: a lost PostgreSQL connection gives a clear 503 and the app recovers without a restart; a server killed
mid-import leaves the database as it was, and the import can be run again."""
from __future__ import annotations

import html
import secrets
import socket
import threading
import time

import pytest
import sqlalchemy as sa

from kb.app import create_app
from kb import models as m
from kb.backup.archive import dump
from kb.extensions import db
from tests.helpers import make_user
from tests.plugins.database import config_for, dispose
from tests.transfer_helpers import big_file
from tests.live_server import Browser, Server, wait_for_job

TASK = "tage-venoes-blodproeve"


class CuttableProxy:
    """A TCP relay between the app and PostgreSQL that can be cut (every connection dropped, new ones refused) and
    restored on the same port: the network failing under a running app, without touching the database server."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        self._listener.listen(16)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def cut(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(); close() alone does not
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for s in self._sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def app_behind_proxy(app):
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = create_app(config_for(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)))
    yield proxied, proxy
    proxy.cut()
    dispose(proxied)


@pytest.mark.only_backend("postgresql")  # a lost connection is a client-server failure
def test_a_lost_database_connection_gives_503_and_the_app_recovers_without_restart(app_behind_proxy):
    app, proxy = app_behind_proxy
    client = app.test_client()
    assert client.get(f"/tasks/{TASK}").status_code == 200  # a pooled connection through the proxy

    proxy.cut()
    page = client.get(f"/tasks/{TASK}")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Databasen svarer ikke lige nu" in html.unescape(page.get_data(as_text=True))
    api = client.get("/api/v1/tasks")
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "service_unavailable"

    proxy.restore()
    assert client.get(f"/tasks/{TASK}").status_code == 200  # same app, new connection
    assert client.get("/api/v1/tasks").get_json()["total"] > 0


def _knowledge(app) -> dict:
    """Every table but the import jobs themselves, row by row."""
    with app.app_context(), db.engine.connect() as conn:
        tables = dump(conn)["tables"]
    tables.pop("import_job")
    return tables


def _job_state(app, job: str) -> dict:
    with app.app_context():
        return db.session.scalar(sa.select(m.ImportJob.state).where(m.ImportJob.id == job))


@pytest.mark.slow  # a real gunicorn server killed mid-import
def test_a_server_killed_mid_import_leaves_the_database_as_before_and_the_import_can_be_retried(app, tmp_path):
    make_user(app, "importoer", "reviewer")
    url, secret = app.config["SQLALCHEMY_DATABASE_URI"], secrets.token_hex(32)
    data = big_file(1500)
    server = Server(url, secret, tmp_path / "a")
    try:
        browser = Browser()
        browser.login(server.url, "importoer")
        before = _knowledge(app)  # after the login, which writes its own audit entry
        job = browser.upload(server.url, "task", "stor.csv", data)
        assert "1500 nye" in wait_for_job(browser, f"{server.url}/overfoersel/koersel?id={job}")
        browser.commit(server.url, job, "Stor import")
        deadline = time.monotonic() + 30
        while _job_state(app, job).get("phase") != "commit":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.0)  # into the commit (several seconds for 1,500 rows)
        server.kill()
    finally:
        server.stop()
    assert _job_state(app, job)["status"] == "running"  # it was cut off mid-way, not finished
    assert _knowledge(app) == before  # not one row of the 1,500, no history, no audit entry

    # A new server: the same file imports in full.
    server = Server(url, secret, tmp_path / "b")
    try:  # the session cookie from before the crash is still good (same KB_SECRET_KEY)
        retry = browser.upload(server.url, "task", "stor.csv", data)
        wait_for_job(browser, f"{server.url}/overfoersel/koersel?id={retry}")
        browser.commit(server.url, retry, "Stor import, igen")
        assert "Importen er indlæst: 1500 nye" in wait_for_job(browser, f"{server.url}/overfoersel/koersel?id={retry}")
    finally:
        server.stop()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(m.Task.slug.like("importeret-opgave-%"))) == 1500
