"""HTTP caching (issue 20, part 6) and stored PDFs (part 5): an ETag from the knowledge token and the request on
every anonymous API answer and PDF, 304 on If-None-Match, Cache-Control public for anonymous readers and private,
no-store for signed-in ones; a repeated PDF comes from the rendered_document table, on every server alike."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.knowledge.documents import document_of
from tests.helpers import publish_document, signed_in

TASK, NURSE = "tage-venoes-blodproeve", "sygeplejerske"
WHO_MAY = f"/api/v1/tasks/{TASK}/who-may"
SHEET = f"/tasks/{TASK}/sheet.pdf"
ROLE = f"/professions/{NURSE}/role.pdf"


def _publish_a_change(app) -> None:
    """A real publication through the one write path: the knowledge token moves."""
    with app.app_context():
        doc = document_of(db.session, "provision", "aut-54-4-1")
        doc["valid_to"] = "2024-06-30"
        publish_document(db.session, "provision", doc)
        db.session.commit()


def _stored_rows(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = db.session.execute(sa.select(m.RenderedDocument.key, m.RenderedDocument.token,
                                            m.RenderedDocument.size)).all()
        db.session.rollback()
        return [tuple(r) for r in rows]


def _assert_public(response) -> str:
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response.headers["Vary"]  # the language may come from a cookie
    etag = response.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 20
    return etag


# --- the API --------------------------------------------------------------------------------------------------

@pytest.mark.only_backend("sqlite")  # headers: once is enough
def test_api_answers_carry_an_etag_and_a_current_one_gives_304(client):
    first = client.get(WHO_MAY)
    assert first.status_code == 200
    etag = _assert_public(first)
    assert client.get(WHO_MAY).headers["ETag"] == etag  # the same answer, the same tag
    again = client.get(WHO_MAY, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=60"
    assert again.headers["X-Content-Type-Options"] == "nosniff"  # the security headers are on a 304 too
    # What the answer depends on is in the tag: the context, the language; the order of parameters is not.
    a = client.get(f"{WHO_MAY}?setting=sygehus&complexity=complex").headers["ETag"]
    b = client.get(f"{WHO_MAY}?complexity=complex&setting=sygehus").headers["ETag"]
    assert a == b != etag
    assert client.get(f"{WHO_MAY}?lang=en").headers["ETag"] not in (etag, a)
    assert client.get(f"{WHO_MAY}?setting=sygehus", headers={"If-None-Match": etag}).status_code == 200
    for path in ("/api/v1/tasks", "/api/v1/professions", f"/api/v1/professions/{NURSE}/shiftable?limit=5"):
        _assert_public(client.get(path))


@pytest.mark.only_backend("sqlite")
def test_errors_are_never_cached(client):
    for path in ("/api/v1/tasks/findes-ikke", f"{WHO_MAY}?setting=findes-ikke", "/api/v1/tasks?limit=-1"):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert "ETag" not in response.headers and "public" not in response.headers.get("Cache-Control", ""), path


def test_a_publication_changes_the_etag(app, client):
    etag = _assert_public(client.get(WHO_MAY))
    assert client.get(WHO_MAY, headers={"If-None-Match": etag}).status_code == 304
    _publish_a_change(app)
    fresh = client.get(WHO_MAY, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and _assert_public(fresh) != etag


@pytest.mark.only_backend("sqlite")
def test_signed_in_answers_are_private_and_never_304(app, client):
    etag = _assert_public(client.get(WHO_MAY))
    planner = signed_in(app, "planner")
    response = planner.get(WHO_MAY, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.data
    assert response.headers["Cache-Control"] == "private, no-store" and "ETag" not in response.headers


# --- PDFs -----------------------------------------------------------------------------------------------------

@pytest.mark.slow  # PDF layout (real WeasyPrint)
@pytest.mark.only_backend("sqlite")
def test_a_repeated_pdf_comes_from_the_store(app, client):
    first = client.get(SHEET)
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    assert first.headers["X-KB-Cache"] == "miss"
    etag = _assert_public(first)
    assert len(_stored_rows(app)) == 1
    second = client.get(SHEET)
    assert second.headers["X-KB-Cache"] == "hit" and second.data == first.data  # the same bytes, not laid out again
    assert second.headers["ETag"] == etag and len(_stored_rows(app)) == 1
    unchanged = client.get(SHEET, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    # Another app server on the same database (a new app: its own process state) finds the stored PDF.
    from tests.plugins.database import dispose, new_app

    other = new_app(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        shared = other.test_client().get(SHEET)
        assert shared.headers["X-KB-Cache"] == "hit" and shared.data == first.data and shared.headers["ETag"] == etag
    finally:
        dispose(other)


def test_stored_pdfs_follow_the_knowledge_token_and_stay_bounded(app, client, layout_free_pdfs):
    """The store on both engines (the layout itself is the test above's): a key per context, a new token replaces
    every old row, and at most KB_PDF_STORE_KEEP rows."""
    assert client.get(ROLE).headers["X-KB-Cache"] == "miss"
    assert client.get(ROLE).headers["X-KB-Cache"] == "hit"
    assert client.get(f"{ROLE}?bilag=1").headers["X-KB-Cache"] == "miss"  # another document, another key
    assert len(_stored_rows(app)) == 2
    app.config["KB_PDF_STORE_KEEP"] = 3
    for day in range(1, 5):  # a client walking dates
        assert client.get(f"{ROLE}?date=2025-01-0{day}").headers["X-KB-Cache"] == "miss"
    assert len(_stored_rows(app)) == 3
    old_etag = client.get(ROLE).headers["ETag"]
    _publish_a_change(app)
    fresh = client.get(ROLE, headers={"If-None-Match": old_etag})
    assert fresh.status_code == 200 and fresh.headers["X-KB-Cache"] == "miss" and fresh.headers["ETag"] != old_etag
    rows = _stored_rows(app)
    assert len(rows) == 1  # the old token's PDFs are gone
    with app.app_context():
        assert rows[0][1] == db.session.scalar(sa.select(m.KnowledgeState.token))


@pytest.mark.only_backend("sqlite")
def test_a_new_draft_is_a_new_pdf(app, client, layout_free_pdfs):
    """The PDF names the open drafts of its record, and drafts do not move the knowledge token: they are in the key."""
    first = client.get(SHEET)
    with app.app_context():
        db.session.add(m.Revision(entity_type="task", entity_slug=TASK, status="draft", data={}, reason="test"))
        db.session.commit()
    second = client.get(SHEET)
    assert second.headers["X-KB-Cache"] == "miss" and second.headers["ETag"] != first.headers["ETag"]


@pytest.mark.only_backend("sqlite")
def test_signed_in_users_get_the_stored_pdf_privately(app, client, layout_free_pdfs):
    etag = _assert_public(client.get(ROLE))
    planner = signed_in(app, "planner")
    response = planner.get(ROLE, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["X-KB-Cache"] == "hit"
    assert response.headers["Cache-Control"] == "private, no-store" and "ETag" not in response.headers
