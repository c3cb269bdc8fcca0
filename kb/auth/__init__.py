"""Accounts and roles: login/logout, role checks for every write, `kb users create`.

Roles: reader, planner (department leader), editor, reviewer, admin. Reading is open; writing needs a role.
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext

from kb.extensions import db, login_manager
from kb.models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Log ind for at fortsætte.")
login_manager.localize_callback = str  # flash the text in the request's language, not the lazy object
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None


from kb.auth import routes  # noqa: E402,F401
