"""The editors' workflow through HTTP: the `people` fixture (two editors and a reviewer, each logged in on their
own client) and the helpers that post the pages' forms as a browser posts them (every control of the form, with
its CSRF token): form_data, fill, edit, action, draft_id_of, text."""
from __future__ import annotations

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.form_helpers import BrowserForm
from tests.helpers import login, make_user

FORM_RE = re.compile(r'<form method="post"(?: action="([^"]*)")?[^>]*>(.*?)</form>', re.S)


def form_data(page: str, action: str | None = None) -> MultiDict:
    """What a browser sends for the page's POST form with this action (None: the form without an action)."""
    for found_action, body in FORM_RE.findall(page):
        if (found_action or None) == action:
            browser = BrowserForm()
            browser.feed(body)
            return MultiDict(browser.pairs)
    raise AssertionError(f"no POST form with action {action!r} on the page")


def fill(data: MultiDict, **values) -> MultiDict:
    """Set form fields (a double underscore in a name is the form's dash: sources__0__url → sources-0-url)."""
    for name, value in values.items():
        name = name.replace("__", "-")
        data.poplist(name)
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return data


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def draft_id_of(response) -> int:
    assert response.status_code == 302, text(response)[:3000]
    match = re.search(r"/redaktion/udkast/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def edit(client, kind: str, slug: str, reason: str, **values):
    """Open the record's edit form, change some fields, save it (a draft)."""
    url = f"/redaktion/{kind}/{slug}/rediger"
    data = fill(form_data(client.get(url).get_data(as_text=True)), reason=reason, **values)
    return client.post(url, data=data)


def action(client, draft_id: int, name: str, **extra):
    """Press a button on the draft page (its form: CSRF token and the draft's lock)."""
    url = f"/redaktion/udkast/{draft_id}/{name}"
    data = fill(form_data(client.get(f"/redaktion/udkast/{draft_id}").get_data(as_text=True), url), **extra)
    return client.post(url, data=data)


@pytest.fixture
def people(app):
    """An editor, a second editor and a reviewer, each logged in on their own client."""
    clients = {}
    for username, role in (("redaktoer", "editor"), ("redaktoer2", "editor"), ("godkender", "reviewer")):
        make_user(app, username, role)
        client = app.test_client()
        assert login(client, username).status_code == 302
        clients[username] = client
    return clients
