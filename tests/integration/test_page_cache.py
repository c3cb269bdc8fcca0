"""The task page's rendered article is kept per process (kb/catalogue/routes.py): what each user sees must be what an
uncached render gives — editors' links only for editors, the asked language, the asked context, the latest knowledge."""
from __future__ import annotations

import sqlalchemy as sa

from kb import models as m
from kb.app import create_app
from kb.extensions import db
from tests.plugins.database import config_for, dispose
from tests.helpers import login, make_user

TASK = "tage-venoes-blodproeve"
PATHS = [f"/tasks/{TASK}", f"/tasks/{TASK}?complexity=complex", f"/tasks/{TASK}?lang=en",
         f"/tasks/{TASK}?setting=hospital&date=2023-06-01"]


def _pages(app, paths=PATHS, user: str | None = None) -> list[str]:
    client = app.test_client()
    if user:
        assert login(client, user).status_code == 302
    return [client.get(p).get_data(as_text=True) for p in paths]


def test_cached_pages_equal_uncached_ones_for_every_context_and_language(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    uncached = create_app({**config_for(url), "KB_PAGE_CACHE": False})
    try:
        first, again = _pages(app), _pages(app)  # the second round is served from the cache
        assert again == first == _pages(uncached)
    finally:
        dispose(uncached)
    assert "Hvem kan og må overtage opgaven?" in first[0] and "Who can and may take over the task?" in first[2]
    assert first[0] != first[1]  # another context is another article


def test_editor_links_are_added_per_user_not_cached(app):
    make_user(app, "redaktoer", "editor")
    anonymous = _pages(app, PATHS[:1])[0]
    editor = _pages(app, PATHS[:1], user="redaktoer")[0]
    assert 'class="editor-links"' in editor and 'class="editor-links"' not in anonymous
    assert 'class="editor-links"' not in _pages(app, PATHS[:1])[0]


def test_a_published_change_reaches_the_cached_page(app):
    before = _pages(app, PATHS[:1])[0]
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == TASK))
        task.description = "Ny beskrivelse efter ændring."
        db.session.commit()
    after = _pages(app, PATHS[:1])[0]
    assert "Ny beskrivelse efter ændring." in after and "Ny beskrivelse efter ændring." not in before


def test_unknown_and_unpublished_tasks_stay_404(app):
    client = app.test_client()
    assert client.get("/tasks/findes-ikke").status_code == 404
    assert client.get(f"/tasks/{TASK}").status_code == 200
    with app.app_context():
        db.session.scalar(sa.select(m.Task).where(m.Task.slug == TASK)).status = "draft"
        db.session.commit()
    assert client.get(f"/tasks/{TASK}").status_code == 404
