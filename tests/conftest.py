"""Fixtures: `app`, `client`, `runner` on a seeded database — SQLite and a real PostgreSQL server, each test on its
own copy — plus `empty_app` for migration and seeding tests. PostgreSQL tests skip with a reason when the server
binaries are missing, unless KB_REQUIRE_ALL=1 (CI), which makes them fail instead."""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from kb.app import create_app
from kb.config import PROJECT_ROOT
from tests.pg_server import PgServer, start_server

BACKENDS = ("sqlite", "postgresql")
REQUIRE_ALL = os.environ.get("KB_REQUIRE_ALL") == "1"
_counter = itertools.count()


def test_config(url: str, **extra) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key",
            "KB_SEED_DIR": os.environ.get("KB_SEED_DIR", str(PROJECT_ROOT / "seed")),
            "RATELIMIT_ENABLED": False,  # tests log in often; tests/integration/test_auth_ratelimit.py turns it on
            "KB_READ_REQUIRES_LOGIN": False,  # open reading, whatever the environment says
            **extra}


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = start_server()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        message = f"PostgreSQL test server unavailable: {exc} {detail.decode(errors='replace')[:500]}"
        if REQUIRE_ALL:
            pytest.fail(message)
        pytest.skip(message)
    yield server
    server.stop()


class Databases:
    """Creates, clones and drops databases of one backend."""

    def __init__(self, backend: str, workdir: Path, server: PgServer | None):
        self.backend, self.workdir, self.server = backend, workdir, server

    def _name(self) -> str:
        return f"kb_test_{os.getpid()}_{next(_counter)}"

    def new(self) -> str:
        name = self._name()
        if self.backend == "sqlite":
            return f"sqlite:///{self.workdir / (name + '.db')}"
        self.server.admin_execute(f'CREATE DATABASE "{name}"')
        return self.server.url(name)

    def clone(self, template_url: str) -> str:
        name = self._name()
        if self.backend == "sqlite":
            target = self.workdir / (name + ".db")
            shutil.copyfile(sa.make_url(template_url).database, target)
            return f"sqlite:///{target}"
        template = sa.make_url(template_url).database
        self.server.admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.server.url(name)

    def drop(self, url: str) -> None:
        database = sa.make_url(url).database
        if self.backend == "sqlite":
            Path(database).unlink(missing_ok=True)
        else:
            self.server.admin_execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def databases(backend, request, tmp_path_factory) -> Databases:
    server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    return Databases(backend, tmp_path_factory.mktemp(f"db-{backend}"), server)


def _dispose(app) -> None:
    from kb.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(databases) -> str:
    """A database migrated to head and loaded with the shipped seed/ knowledge, cloned for each test."""
    from flask_migrate import upgrade

    from kb.extensions import db
    from kb.seeding import load_bundle, read_bundle

    url = databases.new()
    app = create_app(test_config(url))
    with app.app_context():
        upgrade()
        load_bundle(db.session, read_bundle(app.config["KB_SEED_DIR"]))
    _dispose(app)
    return url


@pytest.fixture
def app(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = create_app(test_config(url))
    yield app
    _dispose(app)
    databases.drop(url)


@pytest.fixture
def empty_app(databases):
    """An app on an empty database of the current backend (no tables)."""
    url = databases.new()
    app = create_app(test_config(url))
    yield app
    _dispose(app)
    databases.drop(url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    from contextlib import contextmanager

    from kb.extensions import db

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield lambda: len(statements)
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counter


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.only_backend("postgresql")`: the test is about one engine (several app servers, a lost network
    connection, SQLite's WAL), so it is not collected for the other — deselected, not skipped."""
    keep, drop = [], []
    for item in items:
        mark = item.get_closest_marker("only_backend")
        backend = item.callspec.params.get("backend") if hasattr(item, "callspec") else None
        (drop if mark and backend and backend != mark.args[0] else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
