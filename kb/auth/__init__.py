"""Accounts and roles (issue: Editors). For now: how Flask-Login finds the user of a session."""
from __future__ import annotations

from kb.extensions import db, login_manager
from kb.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None
