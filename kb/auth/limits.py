"""Login rate limit (Flask-Limiter): POST /login is limited per client IP, per (username, IP), and by a higher
ceiling per username.

Why per (username, IP) and not per username: a per-username limit lets anyone lock any known account out by
failing ten times a minute from anywhere (the security probe did it to an admin). Counting a name per address
stops guessing from one address without locking out the real user elsewhere; the per-username ceiling
(KB_LOGIN_USER_CEILING, "100 per hour") still bounds a guess spread over many addresses.

One Limiter per app, so apps built side by side (tests, several workers) keep their own counters and settings.
The limit comes from KB_LOGIN_RATE_LIMIT ("10 per minute"); the counters live in RATELIMIT_STORAGE_URI
(memory by default, so each server process counts on its own).
"""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
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


def _too_many_requests(error):
    message = gettext("For mange forsøg på kort tid. Vent et øjeblik, og prøv igen.")
    if request.path.startswith("/api/"):
        from kb.api.errors import json_error

        return json_error(429, "too_many_requests", message)
    return render_template("auth/rate_limited.html", message=message), 429


def init_limiter(app: Flask) -> Limiter:
    """Bind a limiter to `app` and put the login limits on the login view (call after the auth routes exist)."""
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    # The route limits hold the limiter weakly, and a disabled limiter registers nothing on the app: keep it alive.
    app.extensions["kb_limiter"] = limiter
    login_view = app.view_functions["auth.login"]
    login_view = limiter.limit(_login_limit, key_func=_username_address_key, methods=["POST"])(login_view)
    login_view = limiter.limit(_user_ceiling, key_func=_username_key, methods=["POST"])(login_view)
    app.view_functions["auth.login"] = limiter.limit(_login_limit, methods=["POST"])(login_view)
    app.register_error_handler(429, _too_many_requests)
    return limiter
