"""Server-rendered pages: home, task, profession, law — Danish, with sources, escaped, with security headers."""
from __future__ import annotations

import html

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


def _first(app, stmt):
    with app.app_context():
        return db.session.scalar(stmt)


def test_home_shows_counts_and_tasks(app, client):
    with app.app_context():
        n_tasks = db.session.scalar(sa.select(sa.func.count()).select_from(m.Task).where(m.Task.status == "published"))
        titles = db.session.scalars(sa.select(m.Task.title).limit(5)).all()
    response = client.get("/")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert f"{n_tasks}</strong> opgaver" in page
    for title in titles:
        assert title in page
    assert "Hvilke faggrupper må overtage opgaven" in page


def test_home_filters_by_category(app, client):
    with app.app_context():
        clinical = db.session.scalars(sa.select(m.Task.title).where(m.Task.category == "clinical")).all()
        admin = db.session.scalars(sa.select(m.Task.title).where(m.Task.category == "administrative")).all()
    page = html.unescape(client.get("/?category=clinical").get_data(as_text=True))
    assert all(f">{t}</a>" in page for t in clinical)
    assert not any(f">{t}</a>" in page for t in admin if t not in clinical)


def test_task_page_shows_description_holders_and_sources(app, client):
    task = _first(app, sa.select(m.Task).join(m.Task.citations).where(m.SourceCitation.document_id.isnot(None)))
    with app.app_context():
        task = db.session.merge(task)
        expected_sources = [(c.document.file, c.lines_label) for c in task.citations if c.document]
        holders = [h.name for h in task.holders]
        slug, title = task.slug, task.title
    response = client.get(f"/tasks/{slug}")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert f"<h1>{title}</h1>" in page
    for file, lines in expected_sources:
        assert f"{file}, {lines}" in page
    for name in holders:
        assert name in page


def test_task_page_links_provisions_and_marks_unverified(app, client):
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).join(m.Task.provisions).limit(1))
        slug = task.slug
        provisions = [(p.url, p.reference, p.verified) for p in task.provisions]
    page = html.unescape(client.get(f"/tasks/{slug}").get_data(as_text=True))
    for url, reference, verified in provisions:
        assert f'href="{url}"' in page and reference in page
    if not all(v for _, _, v in provisions):
        assert "ikke verificeret" in page


def test_unknown_task_is_404_in_danish(client):
    response = client.get("/tasks/findes-ikke")
    assert response.status_code == 404
    assert "Opgaven findes ikke." in response.get_data(as_text=True)


def test_profession_page(app, client):
    with app.app_context():
        nurse = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
        held = db.session.scalars(sa.select(m.Task.title).join(m.Task.holders).where(m.Profession.id == nurse.id)).all()
        name = nurse.name
    response = client.get("/professions/sygeplejerske")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert f"<h1>{name}" in page
    assert held and all(t in page for t in held)
    assert client.get("/professions/findes-ikke").status_code == 404


def test_professions_and_law_pages(app, client):
    with app.app_context():
        names = db.session.scalars(sa.select(m.Profession.name)).all()
        refs = db.session.scalars(sa.select(m.Provision.reference)).all()
    professions = html.unescape(client.get("/professions/").get_data(as_text=True))
    assert all(n in professions for n in names)
    law = html.unescape(client.get("/law/").get_data(as_text=True))
    assert all(r in law for r in refs)


def test_security_headers_and_escaping(app, client):
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).limit(1))
        task.description = '<script>alert("x")</script>'
        slug = task.slug
        db.session.commit()
    response = client.get(f"/tasks/{slug}")
    body = response.get_data(as_text=True)
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_citation_links_to_the_cited_lines_of_the_report(app, client):
    from pathlib import Path

    from markupsafe import escape

    with app.app_context():
        c = db.session.scalar(sa.select(m.SourceCitation).where(m.SourceCitation.document_id.isnot(None),
                                                                m.SourceCitation.task_id.isnot(None)).limit(1))
        slug, first, last, file = c.document.slug, c.line_from, c.line_to, c.document.file
        task_slug = db.session.get(m.Task, c.task_id).slug
        report = Path(app.config["KB_SHARED_DIR"]) / "seeds" / file
    page = client.get(f"/tasks/{task_slug}").get_data(as_text=True)
    link = f"/sources/{slug}?from={first}&amp;to={last}#L{first}"
    assert link in page
    source = client.get(html.unescape(link)).get_data(as_text=True)
    if not report.exists():
        assert "ikke tilgængelig" in source
        return
    cited = report.read_text(encoding="utf-8").splitlines()[first - 1].strip()
    assert f'id="L{first}" class="cited"' in source
    assert str(escape(cited)) in source


def test_source_viewer_rejects_bad_lines(client):
    assert client.get("/sources/seed-000?from=abc").status_code == 400
    assert client.get("/sources/findes-ikke?from=1").status_code == 404
