"""Accounts and roles: login/logout, role checks for every write, `kb users create`.

Roles: reader, planner (department leader), editor, reviewer, admin. Reading is open unless
KB_READ_REQUIRES_LOGIN=1; writing needs a role. Admins manage accounts at /admin/users.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from kb.extensions import db, login_manager
from kb.models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Log ind for at fortsætte.")
login_manager.localize_callback = str  # flash the text in the request's language, not the lazy object
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, if the session is of the user's current generation (User.get_id): a session made before
    a logout, a password reset, a deactivation or a role change is no session."""
    ident, _, generation = (user_id or "").partition(":")
    if not (ident.isdigit() and generation.isdigit()) or len(ident) > 18:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


# Reachable without an account even when reading requires login.
OPEN_ENDPOINTS = frozenset({"auth.login", "static"})


@bp.before_app_request
def require_login_for_reading():
    """With KB_READ_REQUIRES_LOGIN every page and API route needs an account (login and static files excepted)."""
    if not current_app.config.get("KB_READ_REQUIRES_LOGIN") or current_user.is_authenticated:
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.path.startswith("/api/"):
        from kb.api.errors import json_error

        return json_error(401, "unauthorized", gettext("Log ind for at bruge API'et."))
    return login_manager.unauthorized()


from kb.auth import admin, routes  # noqa: E402,F401
