"""Who may write what. Every write route is wrapped in `role_required`."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_babel import gettext
from flask_login import current_user

# Roles that may make shift plans (opgaveflytningsplaner): department leaders, and staff above them.
PLANNERS = frozenset({"planner", "editor", "reviewer", "admin"})
EDITORS = frozenset({"editor", "reviewer", "admin"})
REVIEWERS = frozenset({"reviewer", "admin"})  # publish or send back other editors' drafts
ADMINS = frozenset({"admin"})


def has_role(roles: frozenset[str]) -> bool:
    return bool(current_user.is_authenticated and current_user.role in roles)


def role_required(roles: frozenset[str]):
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from kb.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403, description=gettext("Din rolle giver ikke adgang til denne handling."))
            return view(*args, **kwargs)

        return wrapped

    return decorator
