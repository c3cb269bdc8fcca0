"""The task page for anonymous readers (issue 20, part 8): kept whole beside its article, tagged with an ETag from the
knowledge token, the language, today and the path, and answered 304 when the reader's copy is current. What it
sends must be what a page rendered around the article gives; signed-in readers and sessions with a message get
their page rendered as before, never a tag or a kept page."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import signed_in

TASK = "tage-venoes-blodproeve"
PAGE = f"/tasks/{TASK}"

pytestmark = pytest.mark.only_backend("sqlite")  # response headers and in-process pages: once is enough


def _change_the_description(app, text: str) -> None:
    with app.app_context():
        db.session.scalar(sa.select(m.Task).where(m.Task.slug == TASK)).description = text
        db.session.commit()


def test_an_anonymous_page_carries_an_etag_and_a_current_one_gives_304(client):
    first = client.get(PAGE)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"  # revalidated on every use: the header has a login link
    assert "Cookie" in first.headers["Vary"]
    assert client.get(PAGE).headers["ETag"] == etag
    again = client.get(PAGE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "no-cache"
    assert again.headers["X-Content-Type-Options"] == "nosniff"  # the security headers are on a 304 too
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]
    # What the page depends on is in the tag: the language, the context, the path.
    tags = {client.get(p).headers["ETag"] for p in (PAGE, f"{PAGE}?lang=en", f"{PAGE}?complexity=complex")}
    assert len(tags) == 3
    assert client.get(f"{PAGE}?lang=en", headers={"If-None-Match": etag}).status_code == 200


def test_a_published_change_gives_a_new_tag_and_the_new_page(app, client):
    before = client.get(PAGE)
    _change_the_description(app, "Ny beskrivelse efter ændring.")
    after = client.get(PAGE, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Ny beskrivelse efter ændring." in after.get_data(as_text=True)
    assert "Ny beskrivelse efter ændring." not in before.get_data(as_text=True)


def test_the_kept_page_equals_the_page_rendered_around_the_article(app, client):
    """A session that holds anything (here a harmless value) is not a shared read: its page is rendered around the
    kept article. For an anonymous reader the two must be byte for byte the same, in both languages."""
    for path in (PAGE, f"{PAGE}?lang=en&setting=sygehus"):
        kept = [client.get(path) for _ in range(2)]  # built, then served as kept
        other = app.test_client()
        with other.session_transaction() as session:
            session["seen"] = True
        rendered = other.get(path)
        assert "ETag" not in rendered.headers
        assert kept[0].data == kept[1].data == rendered.data, path


def test_signed_in_readers_get_no_tag_and_their_own_page(app, client):
    etag = client.get(PAGE).headers["ETag"]
    editor = signed_in(app, "editor")
    page = editor.get(PAGE, headers={"If-None-Match": etag})
    assert page.status_code == 200 and "ETag" not in page.headers
    assert page.headers["Cache-Control"] == "private, no-store"
    assert 'class="editor-links"' in page.get_data(as_text=True)
    assert 'class="editor-links"' not in client.get(PAGE).get_data(as_text=True)


def test_a_flashed_message_is_shown_not_a_kept_page(client):
    client.get(PAGE)  # the page is kept
    assert client.get("/plans/").status_code == 302  # sign-in needed: a message is flashed into the session
    page = client.get(PAGE)
    assert "Log ind for at fortsætte." in page.get_data(as_text=True)
    assert "ETag" not in page.headers
    assert "Log ind for at fortsætte." not in client.get(PAGE).get_data(as_text=True)  # shown once


def test_a_query_of_other_parameters_is_served_but_not_kept_with_its_page(client):
    odd = client.get(f"{PAGE}?utm_source=nyhedsbrev")
    assert odd.status_code == 200 and "ETag" in odd.headers
    plain = client.get(PAGE)
    assert plain.status_code == 200 and plain.data != odd.data  # the login link carries the asked path
    assert client.get("/tasks/findes-ikke").status_code == 404
    assert "ETag" not in client.get("/tasks/findes-ikke").headers


def test_the_answer_itself_is_english_on_an_english_page(app, client):
    """Issue 21 part 3: reasons and conditions are rendered from the engine's codes in the page's language."""
    import re

    from kb.rules.phrases import TEXTS

    def phrases(html: str) -> list[str]:
        found = re.findall(r'data-phrase="(?:condition|reason)">(.*?)</(?:li|span)>', html, re.S)
        return [re.sub(r"\s+", " ", f).strip() for f in found]

    danish = phrases(client.get(f"{PAGE}?lang=da").get_data(as_text=True))
    english = phrases(client.get(f"{PAGE}?lang=en").get_data(as_text=True))
    assert len(english) == len(danish) > 20
    assert any("Kun som medhjælp ved delegation fra" in d for d in danish)
    # The fixed words of every Danish template (the text between its placeholders) appear on no English line.
    fragments = {part.strip(" .:;,") for t in TEXTS.values() for part in re.split(r"%\(\w+\)s", t)}
    fragments = {f for f in fragments if len(f) > 12}
    leftovers = [e for e in english if any(f in e for f in fragments)]
    assert leftovers == []
    assert any(e.startswith("Only as an assistant by delegation from") for e in english)
    from kb.extensions import db
    from kb.models import Profession

    with app.app_context():  # the groups are named by their English names from the knowledge base
        doctor = db.session.query(Profession).filter_by(slug="laege").one()
        name_en, name_da = doctor.name_en, doctor.name
    assert name_en and any(name_en in e for e in english)
    assert not any(f" {name_da}," in e or e.endswith(f" {name_da}") for e in english)
