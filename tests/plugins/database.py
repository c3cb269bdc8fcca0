"""Databases for tests: `app`, `client`, `runner` on a seeded database — SQLite and a real PostgreSQL server, each
test on its own copy — plus `empty_app` for migration and seeding tests, and `count_queries`.

Every test that asks for `app` (or `databases`) runs once per backend (the session-scoped `backend` fixture is
parametrised). `@pytest.mark.only_backend("sqlite")` keeps a test to one engine: the other is deselected, not
skipped. PostgreSQL tests skip with a reason when the server binaries are missing, unless KB_REQUIRE_ALL=1 (CI),
which makes them fail instead.

Helpers for tests that build their own app: `config_for(url, **extra)`, `new_app(url, **extra)` and `dispose(app)`."""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from jinja2 import BytecodeCache

from kb.app import create_app
from kb.config import PROJECT_ROOT
from tests.pg_server import PgServer, start_server

BACKENDS = ("sqlite", "postgresql")
REQUIRE_ALL = os.environ.get("KB_REQUIRE_ALL") == "1"
_counter = itertools.count()


def config_for(url: str, **extra) -> dict:
    """The app configuration of every test app: the database at `url`, the shipped seed, open reading."""
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key",
            "KB_SEED_DIR": os.environ.get("KB_SEED_DIR", str(PROJECT_ROOT / "seed")),
            "RATELIMIT_ENABLED": False,  # tests log in often; tests/integration/test_auth_ratelimit.py turns it on
            "KB_READ_REQUIRES_LOGIN": False,  # open reading, whatever the environment says
            **extra}


class _SharedBytecode(BytecodeCache):
    """Compiled templates kept for the whole session (per worker), keyed by template and checked against its source
    by Jinja: every test has its own app, and compiling the same templates again for each cost a quarter of a
    second a test. The apps are all made by create_app, so their Jinja environments are configured alike."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _SharedBytecode()


def new_app(url: str, **extra):
    """create_app on the database at `url`, sharing the session's compiled templates."""
    app = create_app(config_for(url, **extra))
    app.jinja_env.bytecode_cache = _TEMPLATES
    return app


def dispose(app) -> None:
    """Close the app's sessions and connections (before its database is dropped)."""
    from kb.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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


@pytest.fixture(scope="session")
def seeded_template(databases) -> str:
    """A database migrated to head and loaded with the shipped seed/ knowledge, cloned for each test."""
    from flask_migrate import upgrade

    from kb.extensions import db
    from kb.seeding import load_bundle, read_bundle

    url = databases.new()
    app = new_app(url)
    with app.app_context():
        upgrade()
        load_bundle(db.session, read_bundle(app.config["KB_SEED_DIR"]))
    dispose(app)
    return url


@pytest.fixture
def app(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = new_app(url)
    yield app
    dispose(app)
    databases.drop(url)


@pytest.fixture
def empty_app(databases):
    """An app on an empty database of the current backend (no tables)."""
    url = databases.new()
    app = new_app(url)
    yield app
    dispose(app)
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


def pytest_addoption(parser):
    parser.addoption("--backend", choices=BACKENDS, default=None,
                     help="run the database tests on this engine only (make test-fast: sqlite); default: both")


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.only_backend("postgresql")`: the test is about one engine (several app servers, a lost network
    connection, SQLite's WAL), or does not depend on the engine at all (`only_backend("sqlite")`: run once), so it
    is not collected for the other — deselected, not skipped. `--backend sqlite` deselects the other engine's
    variants of every test."""
    only = config.getoption("backend")
    keep, drop = [], []
    for item in items:
        mark = item.get_closest_marker("only_backend")
        backend = item.callspec.params.get("backend") if hasattr(item, "callspec") else None
        wrong = backend and ((mark and backend != mark.args[0]) or (only and backend != only))
        (drop if wrong else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
