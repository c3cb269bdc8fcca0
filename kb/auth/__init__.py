"""Accounts and roles: login/logout, role checks for every write, `kb users create`.

Roles: reader, planner (department leader), editor, reviewer, admin. Reading is open; writing needs a role.
"""
from __future__ import annotations

from flask import Blueprint

from kb.extensions import db, login_manager
from kb.models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log ind for at fortsætte."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None


from kb.auth import routes  # noqa: E402,F401
