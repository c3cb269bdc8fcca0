"""The access matrix: every route in app.url_map × every role, with the status each role must get.

MATRIX (tests/access.py) lists every endpoint with the least role that may GET it and the least role that may POST
to it (roles rank anonymous < reader < planner < editor < reviewer < admin; None: the route has no such method). A
route that is missing from MATRIX fails test_every_route_is_in_the_matrix, so new routes cannot skip it.

Expected: a permitted GET → 200; a permitted POST with a valid CSRF token and empty data → the form again
(200/400/409) or a redirect, never 500; anonymous on a protected route → redirect to /login; a logged-in user
without the role → 403 — and for refused POSTs the database is unchanged.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from kb.app import create_app
from kb import models as m
from kb.extensions import db
from tests.access import AD, MATRIX, ROLES, A, Access, R, Samples, Visitor, app_rules, may
from tests.helpers import fingerprint
from tests.plugins.database import config_for

# Once is enough: who may reach a route is the routes' code over app.url_map, the same on any engine.
pytestmark = pytest.mark.only_backend("sqlite")

HTTP_METHODS = {"GET", "POST"}
POST_OK = {200, 302, 303, 400, 409}


def check(visitor: Visitor, samples: Samples, rule, method: str) -> str | None:
    """The problem with this role's answer from this route, or None."""
    access = MATRIX[rule.endpoint]
    role = visitor.role
    least = access.get if method == "GET" else access.post
    url = samples.url(rule, role, access.query if method == "GET" else "")
    allowed = may(role, least)
    if not allowed and method == "POST":
        with visitor.app.app_context():
            before = fingerprint()
    response = visitor.request(method, url)
    status, location = response.status_code, response.headers.get("Location", "")
    to_login = status == 302 and urlsplit(location).path == "/login"
    what = f"{role:9} {method:4} {url} → {status} {location}".rstrip()
    if status >= 500:
        return what + " (server error)"
    if allowed:
        if to_login or status == 403:
            return what + f" (refused, but {least} and up may)"
        if method == "GET" and status not in access.get_ok:
            return what + f" (expected {access.get_ok})"
        if method == "POST" and status not in POST_OK:
            return what + f" (expected one of {sorted(POST_OK)})"
        return None
    expected = "redirect to /login" if role == A else "403"
    if (role == A and not to_login) or (role != A and status != 403):
        return what + f" (expected {expected}: needs {least})"
    if method == "POST":
        with visitor.app.app_context():
            if fingerprint() != before:
                return what + " (refused, but the database changed)"
    return None


def route_problems(app) -> list[str]:
    """Routes the matrix does not cover, methods it cannot express, and entries for routes that are gone."""
    problems = []
    endpoints = set()
    for rule in app_rules(app):
        endpoints.add(rule.endpoint)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if methods - HTTP_METHODS:
            problems.append(f"{rule.rule}: methods {sorted(methods - HTTP_METHODS)} are not covered by the matrix")
        access = MATRIX.get(rule.endpoint)
        if access is None:
            problems.append(f"{rule.endpoint} ({rule.rule}) is not in MATRIX: add it with the least role its "
                            "code checks")
            continue
        listed = {method for method, least in (("GET", access.get), ("POST", access.post)) if least}
        if listed != methods & HTTP_METHODS:
            problems.append(f"{rule.endpoint}: MATRIX says {sorted(listed)}, the route has {sorted(methods)}")
    problems += [f"{endpoint} is in MATRIX but no longer a route" for endpoint in sorted(set(MATRIX) - endpoints)]
    return problems


def test_every_route_is_in_the_matrix():
    problems = route_problems(create_app(config_for("sqlite://")))
    assert not problems, "\n".join(problems)


def test_a_new_route_fails_the_matrix():
    app = create_app(config_for("sqlite://"))
    app.add_url_rule("/hemmelig", "hemmelig", lambda: "", methods=["GET", "POST", "DELETE"])
    app.add_url_rule("/ny-plan-side", "plans.index_v2", lambda: "")
    problems = "\n".join(route_problems(app))
    assert "hemmelig (/hemmelig) is not in MATRIX" in problems and "['DELETE']" in problems
    assert "plans.index_v2" in problems


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, role, layout_free_pdfs):
    samples = Samples(app)
    visitor = Visitor(app, role)
    problems = []
    rules = app_rules(app)
    missing = [rule.endpoint for rule in rules if rule.endpoint not in MATRIX]
    assert not missing, f"not in MATRIX (see test_every_route_is_in_the_matrix): {missing}"
    # Reads first, then writes, so a POST that deletes or logs out happens after the pages are seen.
    for method in ("GET", "POST"):
        for rule in rules:
            if method in rule.methods and (problem := check(visitor, samples, rule, method)):
                problems.append(problem)
    assert not problems, f"{len(problems)} routes answer {role} wrongly:\n" + "\n".join(problems)


def test_the_matrix_catches_a_wrong_entry(app, monkeypatch):
    """The checker itself: a protected route listed as open, and an open one listed as admin-only, both fail."""
    samples = Samples(app)
    rules = {rule.endpoint: rule for rule in app_rules(app)}
    monkeypatch.setitem(MATRIX, "plans.index", Access(A, None))
    monkeypatch.setitem(MATRIX, "catalogue.home", Access(AD, None))
    monkeypatch.setitem(MATRIX, "auth.user_new", Access(AD, R))
    anonymous, reader = Visitor(app, A), Visitor(app, R)
    assert "refused, but anonymous" in check(anonymous, samples, rules["plans.index"], "GET")
    assert "expected 403" in check(reader, samples, rules["catalogue.home"], "GET")
    assert "refused, but reader" in check(reader, samples, rules["auth.user_new"], "POST")
    with app.app_context():  # and the database fingerprint notices a write that adds no row
        before = fingerprint()
        db.session.get(m.User, samples.user_ids[R]).role = "editor"
        db.session.commit()
        assert fingerprint() != before
