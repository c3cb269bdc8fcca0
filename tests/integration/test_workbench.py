"""'Flyt opgaver væk fra …' and the provision, competence and education pages."""
from __future__ import annotations

import html

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


def test_move_away_lists_the_engines_shiftable_tasks(app, client):
    api = client.get("/api/v1/professions/sygeplejerske/shiftable").get_json()["items"]
    page = html.unescape(client.get("/flyt?fra=sygeplejerske").get_data(as_text=True))
    assert f"<strong>{len(api)}</strong> af dem kan andre faggrupper overtage" in page
    for item in api:
        assert item["task"]["title"] in page
        for taker in item["takers"]:
            assert f"<h2>{taker['profession_name']}</h2>" in page
    assert "Stor mangel" in page  # the nurses' shortage is shown


def test_move_away_picker_and_errors(client):
    assert "Faggruppe der mangler hænder" in client.get("/flyt").get_data(as_text=True)
    assert client.get("/flyt?fra=findes-ikke").status_code == 404
    assert client.get("/flyt?fra=sygeplejerske&date=igaar").status_code == 400


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


def test_profession_page_lists_tasks_it_may_take_over(app, client):
    from kb.rules import Verdict
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    with app.app_context():
        groups = takeover_for("social-og-sundhedsassistent", make_context())
        held = set(db.session.scalars(sa.select(m.Task.slug).join(m.Task.holders)
                                      .where(m.Profession.slug == "social-og-sundhedsassistent")))
        unknown = takeover_for("findes-ikke", make_context())
    assert unknown is None
    assert groups and all(v is not Verdict.NOT_ALLOWED for v, _ in groups)
    slugs = [task.slug for _, items in groups for task, _ in items]
    assert slugs and not set(slugs) & held
    page = html.unescape(client.get("/professions/social-og-sundhedsassistent").get_data(as_text=True))
    assert "Opgaver faggruppen kan overtage fra andre" in page
    first_task = groups[0][1][0][0]
    assert first_task.title in page
