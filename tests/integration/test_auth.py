"""Accounts: login with hashed passwords, safe redirects, POST-only logout, `kb users create`."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import PASSWORD, csrf_token, login, make_user


def test_login_logout(app, client):
    make_user(app, "leder", "planner")
    wrong = login(client, "leder", "forkert-kode-1")
    assert wrong.status_code == 200 and "Forkert brugernavn eller adgangskode." in wrong.get_data(as_text=True)
    ok = login(client, "leder")
    assert ok.status_code == 302
    assert "Log ud (leder)" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405  # logging out is a POST with a CSRF token
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert "Log ind" in client.get("/").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(sa.select(m.AuditEvent.action).where(m.AuditEvent.action.like("login%"))).all()
    assert sorted(actions) == ["login", "login_failed"]


@pytest.mark.only_backend("sqlite")  # hashing is Python: once is enough
def test_password_is_hashed(app):
    user_id = make_user(app, "hashet", "reader")
    with app.app_context():
        stored = db.session.get(m.User, user_id).password_hash
    assert PASSWORD not in stored and stored.startswith("scrypt:")


@pytest.mark.only_backend("sqlite")  # a redirect target check: once is enough
def test_login_redirect_stays_on_site(app, client):
    make_user(app, "leder", "planner")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=//evil.example/x", data={"username": "leder", "password": PASSWORD,
                                                                 "csrf_token": token})
    assert response.headers["Location"] == "/"


@pytest.mark.only_backend("sqlite")  # refused before any query: once is enough
def test_post_without_csrf_token_is_refused(app, client):
    make_user(app, "leder", "planner")
    response = client.post("/login", data={"username": "leder", "password": PASSWORD})
    assert response.status_code == 400


def test_cli_creates_user_and_enforces_policy(app, runner):
    ok = runner.invoke(args=["users", "create", "admin1", "--role", "admin", "--password", "en-god-kode-9"])
    assert ok.exit_code == 0, ok.output
    weak = runner.invoke(args=["users", "create", "svag", "--password", "kort"])
    assert weak.exit_code == 1 and "mindst 10 tegn" in weak.output
    again = runner.invoke(args=["users", "create", "admin1", "--password", "en-god-kode-9"])
    assert again.exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(m.User.role).where(m.User.username == "admin1")) == "admin"
        assert db.session.scalar(sa.select(m.User).where(m.User.username == "svag")) is None


@pytest.mark.slow  # a real two-second wait
@pytest.mark.only_backend("sqlite")  # the cookie's lifetime: once is enough
def test_a_session_expires_after_the_configured_idle_time(app, client):
    make_user(app, "tidsbegraenset", "planner")
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    response = login(client, "tidsbegraenset")
    assert response.status_code == 302
    assert "Expires=" in response.headers["Set-Cookie"]  # a permanent cookie with an end, not a browser session
    assert client.get("/plans/").status_code == 200
    time.sleep(2.2)
    expired = client.get("/plans/")
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/login")
