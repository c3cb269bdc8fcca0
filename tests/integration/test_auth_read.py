"""Reading is open to anonymous users by default; KB_READ_REQUIRES_LOGIN=1 closes every page and API route
except the login page and static files."""
from __future__ import annotations

import pytest

from kb.app import create_app
from tests.access import MATRIX, R, Samples, Visitor, app_rules
from tests.helpers import PASSWORD, csrf_token
from tests.plugins.database import config_for, dispose

# Once is enough: closing the routes is the app's request hook over app.url_map, not SQL.
pytestmark = pytest.mark.only_backend("sqlite")

OPEN = {"auth.login", "static"}


@pytest.fixture
def closed_app(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = create_app(config_for(url, KB_READ_REQUIRES_LOGIN=True))
    yield app
    dispose(app)
    databases.drop(url)


def _open_gets(app):
    return [rule for rule in app_rules(app) if "GET" in rule.methods and MATRIX[rule.endpoint].get == "anonymous"]


def test_reading_is_open_by_default(app, client, layout_free_pdfs):
    samples = Samples(app)
    for rule in _open_gets(app):
        url = samples.url(rule, "anonymous", MATRIX[rule.endpoint].query)
        assert client.get(url).status_code == 200, url


def test_read_requires_login_closes_every_route(closed_app):
    samples = Samples(closed_app)
    client = closed_app.test_client()
    problems = []
    for rule in app_rules(closed_app):
        if rule.endpoint in OPEN or "GET" not in rule.methods:
            continue
        url = samples.url(rule, "anonymous", MATRIX[rule.endpoint].query)
        response = client.get(url)
        if rule.rule.startswith("/api/"):
            if response.status_code != 401 or response.get_json()["error"]["code"] != "unauthorized":
                problems.append(f"{url} → {response.status_code}, expected 401 JSON")
        elif response.status_code != 302 or not response.headers["Location"].startswith("/login?next="):
            problems.append(f"{url} → {response.status_code} {response.headers.get('Location')}")
    assert not problems, "\n".join(problems)
    assert client.get("/no-such-page").headers["Location"].startswith("/login")  # no probing for pages either
    assert client.get("/login").status_code == 200
    assert client.get("/static/kb.css").status_code == 200


def test_read_requires_login_lets_a_reader_in(closed_app, layout_free_pdfs):
    samples = Samples(closed_app)
    reader = Visitor(closed_app, R)
    for rule in _open_gets(closed_app):
        access = MATRIX[rule.endpoint]
        assert reader.client.get(samples.url(rule, R, access.query)).status_code in access.get_ok, rule.rule
    # A login from the redirect lands where the reader was going.
    anonymous = closed_app.test_client()
    first = anonymous.get("/professions/")
    assert first.headers["Location"] == "/login?next=%2Fprofessions%2F"
    token = csrf_token(anonymous, "/login")
    back = anonymous.post(first.headers["Location"], data={"username": R, "password": PASSWORD,
                                                           "csrf_token": token})
    assert back.headers["Location"] == "/professions/"
