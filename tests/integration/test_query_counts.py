"""No N+1: every main page and API endpoint runs the same number of SQL statements whether the catalogue is the seed
or the seed plus many more tasks, professions, rules, provisions, offers and plan items touching the same pages."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.search.index import reindex
from tests.helpers import login, make_user

# Slow: grows the catalogue on every relationship and renders every main page twice.
pytestmark = pytest.mark.slow

TASK, NURSE, SSA = "tage-venoes-blodproeve", "sygeplejerske", "social-og-sundhedsassistent"
GROWTH = 12  # rows added per relationship; enough that a per-row query would show


def _one(model, slug):
    return db.session.scalar(sa.select(model).where(model.slug == slug))


def _grow(prefix: str, plan_id: int) -> None:
    """Add GROWTH rows to every relationship the main pages show, all reachable from the pages under test."""
    task, nurse, ssa = _one(m.Task, TASK), _one(m.Profession, NURSE), _one(m.Profession, SSA)
    competence = task.requirements[0].competence
    provision = db.session.scalar(sa.select(m.Provision).join(m.Task.provisions).where(m.Task.id == task.id)) \
        or db.session.scalar(sa.select(m.Provision).limit(1))
    setting = db.session.scalar(sa.select(m.Setting).limit(1))
    source = db.session.scalar(sa.select(m.SourceDocument).limit(1))
    act = provision.act
    for i in range(GROWTH):
        n = f"{prefix}{i}"
        extra_provision = m.Provision(slug=f"{n}-bestemmelse", act=act, reference=f"§ 9{i}", title=f"Ekstra {n}",
                                      url="https://www.retsinformation.dk/", valid_from=date(2020, 1, 1),
                                      effect="requires_written_instruction", reserved_to=[nurse])
        profession = m.Profession(slug=f"{n}-fag", name=f"Faggruppe {n}", education_level=2, parent=ssa,
                                  competences=[competence], settings=[setting],
                                  shortages=[m.ProfessionShortage(metric="Forgæves rekrutteringer", value=i,
                                                                  year=2022)],
                                  citations=[m.SourceCitation(document=source, line_from=1, line_to=2)])
        new_task = m.Task(slug=f"{n}-opgave", title=f"Blodprøvetagning variant {n}", category="clinical",
                          description="Venøs blodprøve i en variant.", holders=[nurse, ssa], settings=[setting],
                          provisions=[provision, extra_provision],
                          terms=[m.TaskTerm(term=f"venepunktur {n}"), m.TaskTerm(term=f"VP{i}", kind="abbreviation")],
                          requirements=[m.TaskRequirement(competence=competence, level="required")],
                          citations=[m.SourceCitation(document=source, line_from=3, line_to=4)])
        db.session.add_all([extra_provision, profession, new_task])
        new_task.evidence.append(m.Evidence(taker=profession, from_profession=nurse, kind="practice", summary=n,
                                            citations=[m.SourceCitation(document=source, line_from=5, line_to=6)]))
        task.evidence.append(m.Evidence(taker=profession, from_profession=nurse, kind="proposal", summary=n))
        task.terms.append(m.TaskTerm(term=f"blodprøve {n}"))
        task.citations.append(m.SourceCitation(document=source, line_from=7 + i, line_to=8 + i))
        for t in (task, new_task):
            t.rules.append(m.Rule(slug=f"{n}-{t.slug}-regel", profession=profession, effect="conditions",
                                  kind="organisational", conditions=["Lokal instruks"], provision=extra_provision,
                                  citations=[m.SourceCitation(url="https://example.org/instruks")]))
        db.session.add(m.Education(slug=f"{n}-kursus", name=f"Kursus {n}", competences=[competence],
                                   target_professions=[profession, ssa]))
        db.session.add(m.ShiftPlanItem(plan_id=plan_id, task=new_task, from_profession=nurse,
                                       to_profession=profession, occurrences_per_week=3, minutes_each=10))
    db.session.commit()
    reindex(db.session)
    db.session.commit()


PAGES = [
    "/", "/search?q=blodprøve", "/search?q=blodprøve&profession=social-og-sundhedsassistent",
    f"/tasks/{TASK}", f"/tasks/{TASK}?setting=sygehus&complexity=complex",
    "/professions/", f"/professions/{NURSE}", f"/professions/{SSA}",
    "/competences/", "/educations/", "/law/", f"/flyt?fra={NURSE}",
    "/api/v1/tasks", "/api/v1/tasks?q=blodprøve", f"/api/v1/tasks/{TASK}", f"/api/v1/tasks/{TASK}/who-may",
    "/api/v1/professions", f"/api/v1/professions/{NURSE}", f"/api/v1/professions/{NURSE}/shiftable",
    f"/professions/{NURSE}/role.pdf", f"/tasks/{TASK}/sheet.pdf",
]


def _pages_of(app) -> list[str]:
    """The fixed pages plus detail pages for records _grow touches (found, not hard-coded)."""
    with app.app_context():
        task = _one(m.Task, TASK)
        competence = task.requirements[0].competence.slug
        provision = db.session.scalar(sa.select(m.Provision.slug).join(m.Task.provisions).where(m.Task.id == task.id)) \
            or db.session.scalar(sa.select(m.Provision.slug).limit(1))
        education = db.session.scalar(sa.select(m.Education.slug).join(m.Education.competences)
                                      .where(m.Competence.slug == competence).limit(1))
        source = db.session.scalar(sa.select(m.SourceDocument.slug).limit(1))
    pages = PAGES + [f"/competences/{competence}", f"/provisions/{provision}", f"/sources/{source}"]
    return pages + ([f"/educations/{education}"] if education else [])


def _count(app, client, count_queries, url: str) -> int:
    warm = client.get(url)  # per-process caches (search vocabulary, catalogue) load on the first request
    assert warm.status_code == 200, (url, warm.status_code)
    with app.app_context(), count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statements()


def test_main_pages_and_api_run_a_fixed_number_of_queries(app, count_queries, monkeypatch):
    # The PDF routes' queries all happen while their HTML is built; WeasyPrint's layout (seconds a document, tested
    # in test_pdf.py) runs no SQL, so here it is skipped and the HTML is what the route sends.
    monkeypatch.setattr("kb.pdf.render.html_to_pdf", lambda html, base_url: html.encode())
    make_user(app, "planlaegger", "planner")
    client = app.test_client()
    assert login(client, "planlaegger").status_code == 302
    with app.app_context():
        planner = db.session.scalar(sa.select(m.User).where(m.User.username == "planlaegger"))
        plan = m.ShiftPlan(title="Plan", owner=planner)
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
        _grow("foer", plan_id)  # the baseline has rows in every relationship the pages load
    pages = _pages_of(app) + [f"/plans/{plan_id}", f"/plans/{plan_id}.csv", f"/plans/{plan_id}.pdf"]
    before = {url: _count(app, client, count_queries, url) for url in pages}
    with app.app_context():
        _grow("efter", plan_id)
    after = {url: _count(app, client, count_queries, url) for url in pages}
    grown = {url: (before[url], after[url]) for url in pages if after[url] != before[url]}
    assert not grown, f"statements grew with the data (before, after): {grown}"
    # The growth reached the pages: the nurse now holds more tasks, the plan has more items.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(m.ShiftPlanItem)
                                 .where(m.ShiftPlanItem.plan_id == plan_id)) == 2 * GROWTH
    assert "efter0-opgave" in client.get(f"/professions/{NURSE}").get_data(as_text=True)
