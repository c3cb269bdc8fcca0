"""Security headers on every kind of answer, HSTS only over TLS, and session cookie flags."""
from __future__ import annotations

import re

import pytest

from tests.helpers import login, make_user

# Once is enough: headers and cookie flags are set after the view, whatever the engine.
pytestmark = pytest.mark.only_backend("sqlite")

PAGES = ["/", "/tasks/tage-venoes-blodproeve", "/search?q=blodprøve", "/api/v1/tasks", "/static/kb.css",
         "/findes-ikke", "/api/v1/tasks/findes-ikke", "/login"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would be meaningless
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path  # no inline script for the CSP to block
        assert not re.search(r"\son[a-z]+\s*=", body), path  # no inline event handlers
        assert not re.search(r'\sstyle="', body), path


def test_hsts_over_tls(client):
    response = client.get("/", base_url="https://opgavebasen.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(app):
    make_user(app, "cookie", "planner")
    client = app.test_client()
    cookie = login(client, "cookie").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True  # KB_SECURE_COOKIES=1
    secure = app.test_client()
    cookie = login(secure, "cookie").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
