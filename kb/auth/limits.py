"""Login rate limit (Flask-Limiter): POST /login is limited per client IP, per (username, IP), and by a higher
ceiling per username.

Why per (username, IP) and not per username: a per-username limit lets anyone lock any known account out by
failing ten times a minute from anywhere (the security probe did it to an admin). Counting a name per address
stops guessing from one address without locking out the real user elsewhere; the per-username ceiling
(KB_LOGIN_USER_CEILING, "100 per hour") still bounds a guess spread over many addresses.

Expensive anonymous reads are limited too (security review M1): the role description and task sheet PDFs share
one count per address (KB_PDF_RATE_LIMIT), the heavy API answers another (KB_API_HEAVY_RATE_LIMIT); signed-in users
are not counted there (they are known, and their plans' PDFs need them).

One Limiter per app, so apps built side by side (tests, several workers) keep their own counters and settings.
The limit comes from KB_LOGIN_RATE_LIMIT ("10 per minute"); the counters live in RATELIMIT_STORAGE_URI
(memory by default, so each server process counts on its own).
"""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def _login_limit() -> str:
    return current_app.config["KB_LOGIN_RATE_LIMIT"]


def _user_ceiling() -> str:
    return current_app.config["KB_LOGIN_USER_CEILING"]


def _username() -> str:
    return (request.form.get("username") or "").strip().lower()[:120]  # names compare case-insensitively


def _username_key() -> str:
    """The ceiling's key: one account, whatever the address."""
    return "user:" + _username()


def _username_address_key() -> str:
    return f"user-at:{_username()}|{get_remote_address()}"


# endpoint → (setting of its limit, the count it shares): anonymous requests only.
PUBLIC_LIMITS = {
    "pdf.role_description": ("KB_PDF_RATE_LIMIT", "pdf"),
    "pdf.task_sheet": ("KB_PDF_RATE_LIMIT", "pdf"),
    "api.shiftable": ("KB_API_HEAVY_RATE_LIMIT", "api-heavy"),
}


def _signed_in() -> bool:
    return current_user.is_authenticated


def _setting(name: str):
    return lambda: current_app.config[name]


def _too_many_requests(error):
    if request.endpoint in PUBLIC_LIMITS:
        message = gettext("For mange forespørgsler på kort tid. Vent et øjeblik, og prøv igen.")
    else:
        message = gettext("For mange forsøg på kort tid. Vent et øjeblik, og prøv igen.")
    if request.path.startswith("/api/"):
        from kb.api.errors import json_error

        return json_error(429, "too_many_requests", message)
    # A PDF or a heavy read refused is not a login attempt: its page says so and links back where the reader was
    return render_template("auth/rate_limited.html", message=message,
                           login=request.endpoint not in PUBLIC_LIMITS), 429


def init_limiter(app: Flask) -> Limiter:
    """Bind a limiter to `app`, put the login limits on the login view and the public limits on theirs (call after
    the blueprints are registered)."""
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    # The route limits hold the limiter weakly, and a disabled limiter registers nothing on the app: keep it alive.
    app.extensions["kb_limiter"] = limiter
    login_view = app.view_functions["auth.login"]
    login_view = limiter.limit(_login_limit, key_func=_username_address_key, methods=["POST"])(login_view)
    login_view = limiter.limit(_user_ceiling, key_func=_username_key, methods=["POST"])(login_view)
    app.view_functions["auth.login"] = limiter.limit(_login_limit, methods=["POST"])(login_view)
    for endpoint, (setting, scope) in PUBLIC_LIMITS.items():
        app.view_functions[endpoint] = limiter.shared_limit(_setting(setting), scope=scope, exempt_when=_signed_in)(
            app.view_functions[endpoint])
    # Every other request skips the limiter's per-request work (a tenth of a cached task page's time, profiled):
    # the limits above are the only ones (no default limits; tests/unit/test_layout.py keeps limits in this module).
    limited = frozenset({"auth.login", *PUBLIC_LIMITS})
    limiter.request_filter(lambda: request.endpoint not in limited)
    app.register_error_handler(429, _too_many_requests)
    return limiter
