"""Security review M1: anonymous clients could tie up every worker with role-description PDFs. Renders are bounded
per process (503 with Retry-After when every slot stays taken), and anonymous PDF and heavy API requests are
rate-limited per address (429 with Retry-After), configurably; signed-in users are not counted."""
from __future__ import annotations

import html

import pytest

from tests.helpers import signed_in
from tests.plugins.database import dispose, new_app

# Once is enough: the slots are a per-process semaphore and the limiter counts in memory, not in the database.
pytestmark = pytest.mark.only_backend("sqlite")

SHEET = "/tasks/tage-venoes-blodproeve/sheet.pdf"
ROLE = "/professions/sygeplejerske/role.pdf"
SHIFTABLE = "/api/v1/professions/sygeplejerske/shiftable?limit=1"


@pytest.fixture
def limited_app(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = new_app(url, RATELIMIT_ENABLED=True, KB_PDF_RATE_LIMIT="2 per minute",
                  KB_API_HEAVY_RATE_LIMIT="3 per minute")
    yield app
    dispose(app)
    databases.drop(url)


def test_renders_are_bounded_503_with_retry_after(app, client, layout_free_pdfs):
    app.config["KB_PDF_WAIT"] = 0  # do not wait for a slot in the test
    assert client.get(ROLE).headers["X-KB-Cache"] == "miss"  # stored before the slots are taken
    slots = app.extensions["kb_pdf_slots"]
    held = 0
    while slots.acquire(blocking=False):  # every slot of the process is rendering (KB_PDF_RENDERS, 2)
        held += 1
    assert held == app.config["KB_PDF_RENDERS"] == 2
    try:
        busy = client.get(SHEET)
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
        assert "Der laves mange PDF'er lige nu" in html.unescape(busy.get_data(as_text=True))
        assert "ETag" not in busy.headers and "public" not in busy.headers.get("Cache-Control", "")
        assert client.get(ROLE).headers["X-KB-Cache"] == "hit"  # a stored PDF needs no slot
    finally:
        for _ in range(held):
            slots.release()
    assert client.get(SHEET).status_code == 200  # the slots are back


def test_no_render_slots_refuses_every_render(databases, seeded_template, layout_free_pdfs):
    url = databases.clone(seeded_template)
    app = new_app(url, KB_PDF_RENDERS=0, KB_PDF_WAIT=0)
    try:
        assert app.test_client().get(SHEET).status_code == 503
    finally:
        dispose(app)
        databases.drop(url)


def test_anonymous_pdfs_are_rate_limited_per_address(limited_app, layout_free_pdfs):
    client = limited_app.test_client()
    assert client.get(SHEET).status_code == 200
    assert client.get(ROLE).status_code == 200  # the PDFs share one count
    blocked = client.get(f"{ROLE}?bilag=1")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    page = blocked.get_data(as_text=True)
    assert "For mange forespørgsler på kort tid" in page
    assert "Tilbage til log ind" not in page and "For mange forsøg" not in page  # not a login attempt
    assert "public" not in blocked.headers.get("Cache-Control", "") and "ETag" not in blocked.headers
    other = limited_app.test_client()
    assert other.get(SHEET, environ_base={"REMOTE_ADDR": "10.9.0.2"}).status_code == 200  # another address
    planner = signed_in(limited_app, "planner")
    for _ in range(4):  # signed-in users are not counted
        assert planner.get(SHEET).status_code == 200


def test_heavy_api_answers_are_rate_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        assert client.get(SHIFTABLE).status_code == 200
    blocked = client.get(SHIFTABLE)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert blocked.get_json()["error"]["code"] == "too_many_requests"
    assert client.get("/api/v1/professions").status_code == 200  # the cheap answers are not limited
