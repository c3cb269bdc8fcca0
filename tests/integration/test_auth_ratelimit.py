"""Login rate limit: POST /login per client IP, per (username, IP) and a ceiling per username; 429 with a Danish
page (JSON under /api/)."""
from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.exceptions import TooManyRequests

from kb.app import create_app
from kb.config import settings_from_environment
from tests.plugins.database import config_for, dispose
from tests.helpers import PASSWORD, csrf_token, make_user

# Once is enough: the limiter counts in memory (RATELIMIT_STORAGE_URI), not in the database.
pytestmark = pytest.mark.only_backend("sqlite")


@pytest.fixture
def limited_app(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = create_app(config_for(url, RATELIMIT_ENABLED=True, KB_LOGIN_RATE_LIMIT="3 per minute",
                                KB_LOGIN_USER_CEILING="6 per hour"))
    yield app
    dispose(app)
    databases.drop(url)


def _attempt(client, username, password="forkert-kode-1", ip="10.0.0.1"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


def test_default_limit_is_on(tmp_path, monkeypatch):
    monkeypatch.delenv("KB_LOGIN_RATE_LIMIT", raising=False)
    monkeypatch.delenv("KB_RATELIMIT_STORAGE_URI", raising=False)
    settings = settings_from_environment(Path(tmp_path), {"SECRET_KEY": "x"})
    assert settings["RATELIMIT_ENABLED"] is True
    assert settings["KB_LOGIN_RATE_LIMIT"] == "10 per minute"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("KB_LOGIN_RATE_LIMIT", "5 per hour")
    monkeypatch.setenv("KB_RATELIMIT_STORAGE_URI", "memory://?x=1")
    settings = settings_from_environment(Path(tmp_path), {"SECRET_KEY": "x"})
    assert (settings["KB_LOGIN_RATE_LIMIT"], settings["RATELIMIT_STORAGE_URI"]) == ("5 per hour", "memory://?x=1")


def test_login_is_limited_per_ip(limited_app):
    make_user(limited_app, "leder", "planner")
    client = limited_app.test_client()
    for _ in range(3):
        assert _attempt(client, "leder").status_code == 200  # wrong password: the form again
    blocked = _attempt(client, "leder", PASSWORD)  # even the right password waits now
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429
    assert "For mange forsøg på kort tid" in page and '<html lang="da">' in page
    assert int(blocked.headers["Retry-After"]) > 0
    assert _attempt(client, "en-anden").status_code == 429  # same address, other name: still limited
    assert client.get("/login").status_code == 200  # only POST counts
    assert _attempt(client, "en-anden", ip="10.0.0.2").status_code == 200  # new address, new name: allowed


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(limited_app):
    """Security probe L5: ten wrong passwords from one address locked the real user out everywhere."""
    make_user(limited_app, "offer", "admin")
    attacker, user = limited_app.test_client(), limited_app.test_client()
    for _ in range(3):
        assert _attempt(attacker, "offer", ip="10.2.0.66").status_code == 200
    assert _attempt(attacker, "OFFER ", ip="10.2.0.66").status_code == 429  # case and spaces do not dodge it
    assert _attempt(user, "offer", PASSWORD, ip="10.2.0.7").status_code == 302  # the real user gets in


def test_login_has_a_ceiling_per_username_across_addresses(limited_app):
    make_user(limited_app, "maal", "admin")
    client = limited_app.test_client()
    for i in range(6):  # the ceiling (6 per hour here), spread over addresses that each stay under their limit
        assert _attempt(client, "maal", ip=f"10.1.0.{i}").status_code == 200
    assert _attempt(client, "MAAL ", ip="10.1.0.9").status_code == 429
    assert _attempt(client, "maal", PASSWORD, ip="10.1.0.10").status_code == 429


def test_limit_page_in_english_and_json_for_the_api(limited_app):
    client = limited_app.test_client()
    for i in range(3):
        _attempt(client, f"u{i}")
    token = csrf_token(client, "/login")
    english = client.post("/login?lang=en", data={"username": "x", "password": "y", "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert english.status_code == 429 and "Too many attempts" in english.get_data(as_text=True)
    with limited_app.test_request_context("/api/v1/tasks"):
        response = limited_app.handle_http_exception(TooManyRequests())
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_limit_is_off_in_the_test_config(app, client):
    make_user(app, "leder", "planner")
    for _ in range(12):
        assert _attempt(client, "leder").status_code == 200
