"""Test helpers: users, login through the real form (with its CSRF token)."""
from __future__ import annotations

import re

from kb.auth.passwords import hash_password
from kb.extensions import db
from kb.models import User

PASSWORD = "korrekt-hest-42"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_user(app, username: str, role: str) -> int:
    with app.app_context():
        user = User(username=username, role=role, password_hash=hash_password(PASSWORD))
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


def publish_documents(session, items, reason: str = "Testopsætning"):
    """Publish [(kind, document, origin)] through the one write path (kb.knowledge.publish), as a reviewer's
    publication would; returns the change counts. Flushes; the test commits or rolls back."""
    from kb.knowledge import Publication, publish

    return publish(session, items, Publication("publish", reason=reason)).changes


def publish_document(session, kind: str, document, reason: str = "Testopsætning"):
    return publish_documents(session, [(kind, document, kind)], reason)
