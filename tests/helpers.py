"""Test helpers: users (the test password hashed once per session), login through the real form (with its CSRF
token), publishing through the one write path, and a fingerprint of the whole database."""
from __future__ import annotations

import functools
import re

import sqlalchemy as sa

from kb.auth.passwords import hash_password
from kb.extensions import db
from kb.models import User

PASSWORD = "korrekt-hest-42"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed with the app's scrypt, once per process (a hash costs about half a second; every test user
    has the same password, and a salted hash of it verifies for all of them)."""
    return hash_password(PASSWORD)


def make_user(app, username: str, role: str) -> int:
    with app.app_context():
        user = User(username=username, role=role, password_hash=password_hash())
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token(client, path: str) -> str:
    match = CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def signed_in(app, role: str, username: str | None = None):
    """A new client logged in as a new user of this role (username: the role, unless given)."""
    username = username or role
    make_user(app, username, role)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def publish_documents(session, items, reason: str = "Testopsætning"):
    """Publish [(kind, document, origin)] through the one write path (kb.knowledge.publish), as a reviewer's
    publication would; returns the change counts. Flushes; the test commits or rolls back."""
    from kb.knowledge import Publication, publish

    return publish(session, items, Publication("publish", reason=reason)).changes


def publish_document(session, kind: str, document, reason: str = "Testopsætning"):
    return publish_documents(session, [(kind, document, kind)], reason)


def fingerprint() -> tuple:
    """Row counts, version sums, last updates, and row by row the states that change without a new row (status,
    role, active, password hash — test users share one hash, so a maximum would miss a changed one) of every
    table, in one query: any write a refused request could make changes it. Inside an app context."""
    columns = []
    for table in db.metadata.sorted_tables:
        aggregates = [sa.func.count()]
        if "version_id" in table.c:
            aggregates.append(sa.func.sum(table.c.version_id))
        if "updated_at" in table.c:
            aggregates.append(sa.func.max(table.c.updated_at))
        columns += [sa.select(a).select_from(table).scalar_subquery() for a in aggregates]
        for name in ("status", "role", "active", "password_hash"):
            if name in table.c:
                key = list(table.primary_key.columns)[0]
                ordered = sa.select(sa.cast(table.c[name], sa.String).label("v")).order_by(key).subquery()
                columns.append(sa.select(sa.func.aggregate_strings(ordered.c.v, ",")).scalar_subquery())
    row = tuple(db.session.execute(sa.select(*columns)).one())
    db.session.rollback()
    return row


# Modules a library part (the engine, the search analyser) must import without: the web and ORM stack.
WEB_AND_ORM = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "werkzeug",
               "jinja2", "markupsafe", "pydantic", "wtforms", "weasyprint")


def run_with_imports_blocked(body: str, blocked=WEB_AND_ORM):
    """Run ``body`` (Python source) in a fresh interpreter where every module of ``blocked`` refuses to import, and
    where, at the end, none of them may have been loaded; returns the finished process (check returncode/stdout)."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    script = "\n".join([
        "import sys",
        f"BLOCKED = {tuple(blocked)!r}",
        "class Block:",
        "    def find_spec(self, name, path=None, target=None):",
        "        if name.split('.')[0] in BLOCKED:",
        "            raise ImportError('blocked: ' + name)",
        "        return None",
        "sys.meta_path.insert(0, Block())",
        textwrap.dedent(body),
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in BLOCKED)",
        "assert not loaded, loaded",
    ])
    return subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=60)


def who_may_results(client, task: str, query: str = "") -> dict:
    """The who-may API's results for a task, by profession slug (the answer must be 200)."""
    response = client.get(f"/api/v1/tasks/{task}/who-may{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return {r["profession"]: r for r in response.get_json()["results"]}
