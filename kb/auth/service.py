"""User administration (brugeradministration): create, change role and status, reset password — each change
written to the audit log with who did it. The pages in kb/auth/admin.py call these; they commit nothing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext

from kb.auth.passwords import hash_password
from kb.extensions import db
from kb.models import AuditEvent, User


def username_taken(username: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())) is not None


def fingerprint(user: User) -> str:
    """A short token for the fields the edit form changes; it differs as soon as someone else saved the user.

    The user table has no version column, and updated_at also moves on every login, so we compare what the
    admin actually saw (name, e-mail, role, status) instead.
    """
    seen = "\x1f".join([user.name or "", user.email or "", user.role, "1" if user.active else "0"])
    return hashlib.sha256(seen.encode()).hexdigest()[:20]


def _audit(actor: User, action: str, user: User, summary: str, **data) -> None:
    db.session.add(AuditEvent(action=action, entity_type="user", entity_id=user.id, user_id=actor.id,
                              summary=summary, data=data))


def create_user(actor: User, *, username: str, name: str, email: str, role: str, password: str) -> User:
    user = User(username=username, name=name, email=email, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    _audit(actor, "user_created", user, f"{username} ({role}) oprettet af {actor.username}",
           username=username, role=role)
    return user


@dataclass
class Change:
    name: str
    email: str
    role: str
    active: bool


def self_change_problems(actor: User, user: User, change: Change) -> dict[str, str]:
    """An admin may not take away their own admin role or lock themselves out (field name → Danish message)."""
    if actor.id != user.id:
        return {}
    problems = {}
    if change.role != "admin":
        problems["role"] = gettext("Du kan ikke fjerne din egen administratorrolle. Bed en anden administrator.")
    if not change.active:
        problems["active"] = gettext("Du kan ikke spærre din egen bruger. Bed en anden administrator.")
    return problems


def update_user(actor: User, user: User, change: Change) -> list[str]:
    """Apply the change and audit each part of it; returns the actions written (empty when nothing changed)."""
    actions = []
    if change.role != user.role:
        _audit(actor, "user_role_changed", user, f"{user.username}: rolle {user.role} → {change.role}",
               before=user.role, after=change.role)
        user.role = change.role  # read live on every request: open sessions get the new role at once
        actions.append("user_role_changed")
    if change.active != user.active:
        action = "user_reactivated" if change.active else "user_deactivated"
        verb = "genaktiveret" if change.active else "spærret"
        _audit(actor, action, user, f"{user.username} {verb} af {actor.username}")
        user.active = change.active
        if not change.active:
            user.end_sessions()  # reactivation must not bring an old cookie back to life
        actions.append(action)
    if (change.name, change.email) != (user.name, user.email):
        _audit(actor, "user_updated", user, f"{user.username}: navn/e-mail ændret",
               before={"name": user.name, "email": user.email}, after={"name": change.name, "email": change.email})
        user.name, user.email = change.name, change.email
        actions.append("user_updated")
    return actions


def reset_password(actor: User, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.end_sessions()
    # The password itself never goes into the log, hashed or not.
    _audit(actor, "user_password_reset", user, f"Adgangskode for {user.username} nulstillet af {actor.username}")
