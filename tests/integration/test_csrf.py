"""CSRF on every POST: a logged-in admin posting without a token gets 400 and the database stays as it was."""
from __future__ import annotations

import pytest

from tests.access import AD, Samples, Visitor, app_rules
from tests.helpers import fingerprint

# Once is enough: the CSRF check refuses a request before any query; the fingerprint only confirms it.
pytestmark = pytest.mark.only_backend("sqlite")

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_post_without_token_is_refused(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) and app.config.get("WTF_CSRF_CHECK_DEFAULT", True)
    samples = Samples(app)
    admin = Visitor(app, AD)
    posts = [rule for rule in app_rules(app) if "POST" in rule.methods]
    assert len(posts) >= 10  # login, logout, accounts, plans, and whatever came since
    urls = [samples.url(rule, AD) for rule in posts]  # sample records are made here, before the fingerprint
    with app.app_context():
        before = fingerprint()
    problems = []
    for url in urls:
        with app.app_context():
            just_before = fingerprint()
        for data in ({}, {"csrf_token": "forfalsket"}):
            response = admin.client.post(url, data=data)
            if response.status_code != 400:
                problems.append(f"POST {url} {data or 'without token'} → {response.status_code}")
        with app.app_context():
            if fingerprint() != just_before:
                problems.append(f"POST {url} without a valid token changed the database")
    assert not problems, "\n".join(problems)
    with app.app_context():
        assert fingerprint() == before
    assert admin.client.get("/admin/users").status_code == 200  # logout without a token did not log out


def test_the_api_has_no_writes(app):
    api = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert api
    writes = [f"{rule.rule} {sorted(rule.methods & WRITE_METHODS)}" for rule in api if rule.methods & WRITE_METHODS]
    assert not writes, f"the read API is CSRF-exempt, so it must not accept writes: {writes}"


def test_a_token_makes_the_same_post_work(app):
    """The 400s above are about the token: the same request with it goes through."""
    Samples(app)
    admin = Visitor(app, AD)
    assert admin.client.post("/plans/new", data={"title": "Med token", "hours_per_fte": "37"}).status_code == 400
    ok = admin.client.post("/plans/new", data={"title": "Med token", "hours_per_fte": "37",
                                               "csrf_token": admin.token})
    assert ok.status_code == 302
