"""No lost or misdated edits (issue 17, security probe M5 and L4; UX walk-through F8 and F9), both databases.

A race is made to happen at one precise point with a second, real database connection: the row's version moves on
between the form's check and the commit, as when two saves of the same version arrive at once."""
from __future__ import annotations

import re
from contextlib import contextmanager

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import csrf_token, login, make_user
from tests.plugins.editing import action, draft_id_of, edit, fill, form_data, text


def _planner(app):
    make_user(app, "leder", "planner")
    client = app.test_client()
    assert login(client, "leder").status_code == 302
    return client


def _plan_with_item(app) -> tuple[int, int]:
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "tage-telefonen"))
        nurse, service = (db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == s))
                          for s in ("sygeplejerske", "servicemedarbejder"))
        owner = db.session.scalar(sa.select(m.User).where(m.User.username == "leder"))
        plan = m.ShiftPlan(title="Plan", owner_id=owner.id, items=[m.ShiftPlanItem(
            task=task, from_profession=nurse, to_profession=service, occurrences_per_week=3, minutes_each=20)])
        db.session.add(plan)
        db.session.commit()
        return plan.id, plan.items[0].id


@contextmanager
def racing(app, table: str, row_id: int):
    """Inside: just before this app's next flush, another connection saves the row (its version moves on)."""
    done = []

    def bump(session, flush_context, instances):
        if done:
            return
        done.append(True)
        with db.engine.begin() as other:
            other.execute(sa.text(f"UPDATE {table} SET version_id = version_id + 1 WHERE id = :id"), {"id": row_id})

    with app.app_context():
        sa.event.listen(db.session, "before_flush", bump)
        try:
            yield
        finally:
            sa.event.remove(db.session, "before_flush", bump)


def test_two_tabs_editing_one_plan_line_the_second_is_refused_with_its_input(app):
    planner = _planner(app)
    plan_id, item_id = _plan_with_item(app)
    url = f"/plans/{plan_id}/items/{item_id}/edit"
    first, second = form_data(planner.get(url).get_data(as_text=True)), form_data(planner.get(url).get_data(as_text=True))
    assert planner.post(url, data=fill(first, minutes_each="45")).status_code == 302
    refused = planner.post(url, data=fill(second, occurrences_per_week="10"))
    page = text(refused)
    assert refused.status_code == 409
    assert "ændret af en anden" in page and 'value="10' in page  # the typed value is kept
    with app.app_context():
        item = db.session.get(m.ShiftPlanItem, item_id)
        assert (item.occurrences_per_week, item.minutes_each) == (3, 45)  # the first tab's edit is not lost


def test_a_plan_line_saved_at_the_same_moment_is_a_409_not_a_500(app):
    planner = _planner(app)
    plan_id, item_id = _plan_with_item(app)
    url = f"/plans/{plan_id}/items/{item_id}/edit"
    data = fill(form_data(planner.get(url).get_data(as_text=True)), minutes_each="30")
    with racing(app, "shift_plan_item", item_id):
        response = planner.post(url, data=data)
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(m.ShiftPlanItem, item_id).minutes_each == 20


def test_a_plan_header_saved_at_the_same_moment_is_a_409_not_a_500(app):
    planner = _planner(app)
    plan_id, _ = _plan_with_item(app)
    url = f"/plans/{plan_id}/edit"
    data = fill(form_data(planner.get(url).get_data(as_text=True)), title="Min titel")
    with racing(app, "shift_plan", plan_id):
        response = planner.post(url, data=data)
    assert response.status_code == 409
    assert 'value="Min titel"' in text(response)
    with app.app_context():
        assert db.session.get(m.ShiftPlan, plan_id).title == "Plan"


def test_two_reviewers_publishing_one_record_at_once_the_second_gets_409(app, people):
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "kompetence", "blodproevetagning", "Præcisering",
                             description="Venepunktur og kapillærprøver."))
    assert action(editor, draft, "indsend").status_code == 302
    with app.app_context():
        competence_id = db.session.scalar(sa.select(m.Competence.id).where(m.Competence.slug == "blodproevetagning"))
    url = f"/redaktion/udkast/{draft}/udgiv"
    data = fill(form_data(reviewer.get(f"/redaktion/udkast/{draft}").get_data(as_text=True), url))
    with racing(app, "competence", competence_id):
        response = reviewer.post(url, data=data)
    assert response.status_code == 409, text(response)[:2000]
    with app.app_context():
        assert db.session.get(m.Revision, draft).status == "submitted"  # the draft waits; nothing lost


def test_history_after_the_first_web_edit_of_a_seeded_record_and_a_revert(app, people):
    """F8: baseline = version 1, the edit = version 2, the revert = version 3 with its real diff; one current."""
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "kompetence", "blodproevetagning", "Første ændring",
                             description="Ændret beskrivelse."))
    action(editor, draft, "indsend")
    assert action(reviewer, draft, "udgiv").status_code == 302
    history = text(editor.get("/redaktion/kompetence/blodproevetagning/historik"))
    versions = re.findall(r"Version (\d+)", history)
    assert versions == ["2", "1"], versions  # newest first
    top = history.split("Version 1")[0]
    assert "Første ændring" in top and "gældende" in top and "Udgangspunkt" not in top
    # revert to the baseline: version 3, with the description change back as its diff
    with app.app_context():
        baseline = db.session.scalar(sa.select(m.Revision.id).where(
            m.Revision.entity_slug == "blodproevetagning", m.Revision.reason.like("Udgangspunkt%")))
    page = editor.get(f"/redaktion/version/{baseline}/gendan").get_data(as_text=True)
    revert = editor.post(f"/redaktion/version/{baseline}/gendan",
                         data=fill(form_data(page), reason="Tilbage"))
    revert_draft = draft_id_of(revert)
    action(editor, revert_draft, "indsend")
    assert action(reviewer, revert_draft, "udgiv").status_code == 302
    history = text(editor.get("/redaktion/kompetence/blodproevetagning/historik"))
    assert re.findall(r"Version (\d+)", history) == ["3", "2", "1"]
    assert history.count("gældende") == 1
    newest = history.split("Version 2")[0]
    assert "Tilbage" in newest and "Ingen forskelle" not in newest and "Ændret beskrivelse." in newest


def test_a_citation_beyond_the_end_of_its_report_is_refused_beside_the_field(app, people):
    """F9: lines 999998–999999 of a 2,506-line report."""
    editor = people["redaktoer"]
    url = "/redaktion/opgave/tage-telefonen/rediger"
    data = fill(form_data(editor.get(url).get_data(as_text=True)), reason="Ny kilde",
                sources__0__document="seed-004", sources__0__line_from="999998", sources__0__line_to="999999")
    response = editor.post(url, data=data)
    page = text(response)
    assert response.status_code in (200, 400)
    assert "rapporten har kun 2.506 linjer" in page
    assert 'value="999998"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(m.Revision.id)).where(m.Revision.status == "draft")) == 0


def test_an_import_citing_lines_beyond_the_report_is_refused_naming_row_and_column(app):
    from kb.transfer.dry_run import plan_import

    csv = ("slug;title;category;sources\n"
           "tage-telefonen;Tage telefonen på afsnittet;administrative;seed-004:999998-999999\n").encode()
    with app.app_context():
        plan = plan_import(db.session, "task", "opgaver.csv", csv)
        db.session.rollback()
    errors = " ".join(str(e) for e in plan.summary()["errors"])
    assert not plan.ok
    assert "2.506 linjer" in errors and "sources" in errors and "2" in errors
