"""Server-rendered catalogue pages: home, task, profession (with what it may take over), law, provision, competence,
education, the source viewer — Danish, with sources, escaped, with security headers."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from markupsafe import escape

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


PROVISION_ITEM = re.compile(r'<li><a href="/provisions/([^"]+)">.*?</li>', re.S)
VERIFIED_AND_NOT = "anlaegge-pvk"  # a seed task citing both verified and unverified provisions


def test_task_page_links_provisions_and_marks_unverified(app, client):
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == VERIFIED_AND_NOT))
        provisions = {p.slug: (p.url, p.reference, p.verified) for p in task.provisions}
    assert {verified for _, _, verified in provisions.values()} == {True, False}, "the seed task lost a kind"
    page = html.unescape(client.get(f"/tasks/{VERIFIED_AND_NOT}").get_data(as_text=True))
    listed = page[page.index('<ul class="provisions">'):]
    listed = {match.group(1): match.group(0) for match in PROVISION_ITEM.finditer(listed[:listed.index("</ul>")])}
    assert set(listed) == set(provisions)
    for slug, (url, reference, verified) in provisions.items():
        item = listed[slug]
        assert f'href="{url}"' in item and reference in item, slug
        # the badge only beside the provisions nobody has checked against the official text
        assert ('class="badge unverified"' in item) is (not verified), slug


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


@pytest.mark.only_backend("sqlite")  # template escaping and headers: once is enough
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


def test_provision_page_lists_governed_tasks(app, client):
    with app.app_context():
        p = db.session.scalar(sa.select(m.Provision).join(m.Task.provisions.property.secondary).limit(1))
        titles = [t.title for t in db.session.scalars(sa.select(m.Task).join(m.Task.provisions)
                                                       .where(m.Provision.id == p.id))]
        slug, reference = p.slug, p.reference
    page = html.unescape(client.get(f"/provisions/{slug}").get_data(as_text=True))
    assert reference in page and titles and all(t in page for t in titles)
    assert client.get("/provisions/findes-ikke").status_code == 404


def test_competence_and_education_pages(app, client):
    with app.app_context():
        e = db.session.scalar(sa.select(m.Education).join(m.Education.competences).limit(1))
        c = e.competences[0]
        e_slug, e_name, c_slug, c_name = e.slug, e.name, c.slug, c.name
    competence = html.unescape(client.get(f"/competences/{c_slug}").get_data(as_text=True))
    assert c_name in competence and e_name in competence
    education = html.unescape(client.get(f"/educations/{e_slug}").get_data(as_text=True))
    assert e_name in education and c_name in education
    assert client.get("/competences/").status_code == 200 and client.get("/educations/").status_code == 200
    assert client.get("/educations/nej").status_code == 404 and client.get("/competences/nej").status_code == 404


TAKEOVER_GROUP = re.compile(r'<summary class="fit ([a-z_]+)">([^<(]*) \((\d+)\)</summary>\s*<ul>(.*?)</ul>', re.S)
TAKEOVER_TASK = re.compile(r'<li><a href="/tasks/([^"]+)">([^<]*)</a>')


def _takeover_oracle(slug: str, context, by: str = "verdict") -> dict:
    """What the engine says the profession may take over, asked task by task: every published task (the ORM
    mapping of tests/orm_facts.py, not the app's loader) that neither it, its parent nor a specialisation of it
    holds, with a verdict other than not_allowed — {verdict (or fit): sorted [(task slug, title)]}."""
    from kb.rules import Verdict, who_may_one
    from kb.whomay.facts import load_catalogue
    from tests.orm_facts import TASK_LOADS, task_fact

    catalogue = load_catalogue()
    profession = catalogue.profession(slug)
    professions = db.session.scalars(sa.select(m.Profession)).all()
    own = {p.slug for p in professions if p.slug == slug or (p.parent and p.parent.slug == slug)
           or any(c.slug == slug for c in p.specialisations)}
    expected: dict = {}
    tasks = db.session.scalars(sa.select(m.Task).where(m.Task.status == "published").options(*TASK_LOADS))
    for task in tasks:
        if {h.slug for h in task.holders} & own:
            continue
        result = who_may_one(task_fact(task), profession, context, catalogue.knowledge)
        if result.verdict is not Verdict.NOT_ALLOWED:
            expected.setdefault(result.verdict if by == "verdict" else result.fit, []).append((task.slug, task.title))
    return {verdict: sorted(items) for verdict, items in expected.items()}


def test_profession_page_lists_tasks_it_may_take_over(app, client):
    from kb.models.enums import FIT_LABELS
    from kb.rules import Verdict
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    with app.app_context():
        groups = takeover_for("social-og-sundhedsassistent", make_context())
        held = set(db.session.scalars(sa.select(m.Task.slug).join(m.Task.holders)
                                      .where(m.Profession.slug == "social-og-sundhedsassistent")))
        unknown = takeover_for("findes-ikke", make_context())
        expected = _takeover_oracle("social-og-sundhedsassistent", make_context())
        by_fit = _takeover_oracle("social-og-sundhedsassistent", make_context(), by="fit")
        labels = {fit: str(label) for fit, label in FIT_LABELS.items()}
    assert unknown is None
    assert groups and all(v is not Verdict.NOT_ALLOWED for v, _ in groups)
    slugs = [task.slug for _, items in groups for task, _ in items]
    assert slugs and not set(slugs) & held
    assert {v: sorted((t.slug, t.title) for t, _ in items) for v, items in groups} == expected
    page = html.unescape(client.get("/professions/social-og-sundhedsassistent").get_data(as_text=True))
    assert "Opgaver faggruppen kan overtage fra andre" in page
    first_task = groups[0][1][0][0]
    assert first_task.title in page
    # Every task the engine allows, under its fit's heading with the right count, the recommended first.
    section = page[page.index('id="kan-overtage"'):]
    section = section[:section.index("</section>")]
    shown = {}
    for value, label, count, items in TAKEOVER_GROUP.findall(section):
        tasks = sorted(TAKEOVER_TASK.findall(items))
        assert label.strip() == labels[value] and int(count) == len(tasks), value
        shown[value] = tasks
    assert shown == by_fit
    order = ["recommended", "trainable", "requires_education"]
    assert list(shown) == sorted(shown, key=order.index)
def _cited(app):
    """A report citation of a task: (task slug, report slug, first and last line, the report's path)."""
    with app.app_context():
        c = db.session.scalar(sa.select(m.SourceCitation).where(m.SourceCitation.document_id.isnot(None),
                                                                m.SourceCitation.task_id.isnot(None)).limit(1))
        task_slug = db.session.get(m.Task, c.task_id).slug
        report = Path(app.config["KB_SHARED_DIR"]) / "seeds" / c.document.file
        return task_slug, c.document.slug, c.line_from, c.line_to, report


def test_citation_links_to_the_cited_lines_of_the_report(app, client):
    task_slug, slug, first, last, report = _cited(app)
    assert report.is_file(), f"the source reports are not at {report.parent} (KB_SHARED_DIR)"
    page = client.get(f"/tasks/{task_slug}").get_data(as_text=True)
    link = f"/sources/{slug}?from={first}&amp;to={last}#L{first}"
    assert link in page
    source = client.get(html.unescape(link)).get_data(as_text=True)
    cited = report.read_text(encoding="utf-8").splitlines()[first - 1].strip()
    assert f'id="L{first}" class="cited"' in source
    assert str(escape(cited)) in source
    assert "ikke tilgængelig" not in source


@pytest.mark.only_backend("sqlite")  # a configured folder, not SQL: once is enough
def test_a_citation_without_the_reports_at_hand_says_so(app, client, tmp_path):
    task_slug, slug, first, last, _ = _cited(app)
    app.config["KB_SHARED_DIR"] = str(tmp_path / "findes-ikke")  # read per request (kb.catalogue.queries)
    link = f"/sources/{slug}?from={first}&amp;to={last}#L{first}"
    assert link in client.get(f"/tasks/{task_slug}").get_data(as_text=True)
    source = client.get(html.unescape(link))
    assert source.status_code == 200
    body = source.get_data(as_text=True)
    assert "ikke tilgængelig" in body and 'class="cited"' not in body


def test_source_viewer_rejects_bad_lines(client):
    assert client.get("/sources/seed-000?from=abc").status_code == 400
    assert client.get("/sources/findes-ikke?from=1").status_code == 404
