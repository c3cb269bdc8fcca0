"""Shift plans end to end: from 'Flyt opgaver væk fra' into a plan, FTE freed, checklist, CSV, copy, delete."""
from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import csrf_token, login, make_user


@pytest.fixture
def planner(app, client):
    make_user(app, "leder", "planner")
    assert login(client, "leder").status_code == 302
    return client


def _shiftable_rows(client, profession="sygeplejerske"):
    data = client.get(f"/api/v1/professions/{profession}/shiftable").get_json()
    return [(item["task"]["slug"], item["takers"][0]["profession"]) for item in data["items"]]


def _quick_add(client, task, taker, plan="new", occurrences="10", minutes="6"):
    token = csrf_token(client, "/flyt?fra=sygeplejerske")
    return client.post("/plans/add", data={
        "csrf_token": token, "plan": plan, "task": task, "from_profession": "sygeplejerske",
        "to_profession": taker, "occurrences_per_week": occurrences, "minutes_each": minutes})


def _plan_id(response) -> int:
    return int(re.search(r"/plans/(\d+)", response.headers["Location"]).group(1))


def test_writes_need_a_planner(app, client):
    assert client.get("/plans/").status_code == 302
    assert client.post("/plans/add").status_code in {302, 400}
    make_user(app, "laeser", "reader")
    login(client, "laeser")
    assert client.get("/plans/").status_code == 403
    assert client.get("/plans/new").status_code == 403


def test_three_tasks_into_a_plan_and_fte_freed(app, planner):
    rows = _shiftable_rows(planner)[:3]
    assert len(rows) == 3
    first = _quick_add(planner, *rows[0], occurrences="10", minutes="6")
    assert first.status_code == 302
    plan_id = _plan_id(first)
    for (task, taker), (occ, minutes) in zip(rows[1:], [("5", "12"), ("20", "3")]):
        assert _quick_add(planner, task, taker, plan=str(plan_id), occurrences=occ, minutes=minutes).status_code == 302
    page = html.unescape(planner.get(f"/plans/{plan_id}").get_data(as_text=True))
    hours = (10 * 6 + 5 * 12 + 20 * 3) / 60  # 3.0 hours a week
    assert f"<strong>{hours:.1f}</strong> timer pr. uge" in page
    assert f"<strong>{hours / 37:.2f}</strong> årsværk" in page
    assert 'data-freed="sygeplejerske"' in page
    with app.app_context():
        titles = db.session.scalars(sa.select(m.Task.title).where(m.Task.slug.in_([r[0] for r in rows]))).all()
    assert all(t in page for t in titles)
    assert "Tjekliste" in page


def test_fte_uses_the_plans_hours_per_week(app, planner):
    task, taker = _shiftable_rows(planner)[0]
    plan_id = _plan_id(_quick_add(planner, task, taker, occurrences="30", minutes="60"))
    token = csrf_token(planner, f"/plans/{plan_id}/edit")
    with app.app_context():
        version = db.session.get(m.ShiftPlan, plan_id).version_id
    planner.post(f"/plans/{plan_id}/edit", data={"csrf_token": token, "title": "Afsnit 7", "unit": "Medicinsk",
                                                 "hours_per_fte": "30", "notes": "", "version_id": str(version)})
    page = planner.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "<strong>1.00</strong> årsværk" in page  # 30 hours at 30 h per FTE


def test_invalid_input_gets_danish_messages_beside_fields_and_keeps_input(app, planner):
    task, taker = _shiftable_rows(planner)[0]
    response = _quick_add(planner, task, "sygeplejerske", occurrences="-3", minutes="abc")
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Opgaven skal flyttes til en anden faggruppe." in body
    assert "Skal være mellem 0 og 100.000." in body
    assert 'value="-3"' in body  # what the user typed is still there
    token = csrf_token(planner, "/plans/new")
    empty = planner.post("/plans/new", data={"csrf_token": token, "title": "", "hours_per_fte": "0"})
    text = html.unescape(empty.get_data(as_text=True))
    assert "Giv planen en titel." in text and "Skal ligge mellem 1 og 80 timer." in text


def test_concurrent_edit_is_refused_and_input_kept(app, planner):
    task, taker = _shiftable_rows(planner)[0]
    plan_id = _plan_id(_quick_add(planner, task, taker))
    token = csrf_token(planner, f"/plans/{plan_id}/edit")
    with app.app_context():
        plan = db.session.get(m.ShiftPlan, plan_id)
        stale = plan.version_id
        plan.title = "Ændret af kollega"
        db.session.commit()
    response = planner.post(f"/plans/{plan_id}/edit", data={
        "csrf_token": token, "title": "Min titel", "unit": "", "hours_per_fte": "37", "notes": "",
        "version_id": str(stale)})
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "ændret af en anden" in body and 'value="Min titel"' in body
    with app.app_context():
        assert db.session.get(m.ShiftPlan, plan_id).title == "Ændret af kollega"


def test_csv_copy_delete_and_privacy(app, planner, client):
    task, taker = _shiftable_rows(planner)[0]
    plan_id = _plan_id(_quick_add(planner, task, taker, occurrences="4", minutes="15"))
    csv_text = planner.get(f"/plans/{plan_id}.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffopgave;fra;til")
    assert ";1.00;" in csv_text  # 4 × 15 min = 1 hour a week
    copied = planner.post(f"/plans/{plan_id}/copy", data={"csrf_token": csrf_token(planner, f"/plans/{plan_id}")})
    copy_id = _plan_id(copied)
    assert copy_id != plan_id and "Kopi af" in planner.get(f"/plans/{copy_id}").get_data(as_text=True)
    assert "Ja, slet planen" in planner.get(f"/plans/{copy_id}/delete").get_data(as_text=True)
    planner.post(f"/plans/{copy_id}/delete", data={"csrf_token": csrf_token(planner, f"/plans/{copy_id}/delete")})
    assert planner.get(f"/plans/{copy_id}").status_code == 404
    # another planner does not see this plan
    planner.post("/logout", data={"csrf_token": csrf_token(planner, "/")})
    make_user(app, "anden", "planner")
    login(planner, "anden")
    assert planner.get(f"/plans/{plan_id}").status_code == 404


# Danish numbers typed into a plan: a decimal comma means what a Danish reader means (issue 21 part 4, UX F3).

def _items(app, plan_id):
    with app.app_context():
        return db.session.execute(sa.select(m.ShiftPlanItem.occurrences_per_week, m.ShiftPlanItem.minutes_each)
                                  .where(m.ShiftPlanItem.plan_id == plan_id)
                                  .order_by(m.ShiftPlanItem.id)).all()


def test_a_danish_2_5_stays_2_5_and_so_does_2_point_5(app, planner):
    (task, taker), (task2, taker2) = _shiftable_rows(planner)[:2]
    first = _quick_add(planner, task, taker, occurrences="2,5", minutes="10")
    assert first.status_code == 302
    plan_id = _plan_id(first)
    assert _quick_add(planner, task2, taker2, plan=str(plan_id), occurrences="2.5", minutes="7,5").status_code == 302
    stored = _items(app, plan_id)
    assert [(Decimal(str(o)), Decimal(str(mi))) for o, mi in stored] == [(Decimal("2.5"), Decimal("10")),
                                                                        (Decimal("2.5"), Decimal("7.5"))]


def test_hours_per_fte_with_a_decimal_comma_and_a_thousands_point(app, planner):
    task, taker = _shiftable_rows(planner)[0]
    plan_id = _plan_id(_quick_add(planner, task, taker))

    def edit(hours):
        token = csrf_token(planner, f"/plans/{plan_id}/edit")
        with app.app_context():
            version = db.session.get(m.ShiftPlan, plan_id).version_id
        return planner.post(f"/plans/{plan_id}/edit", data={
            "csrf_token": token, "title": "Afsnit 7", "unit": "", "hours_per_fte": hours, "notes": "",
            "version_id": str(version)})

    assert edit("32,5").status_code == 302
    with app.app_context():
        assert Decimal(str(db.session.get(m.ShiftPlan, plan_id).hours_per_fte)) == Decimal("32.5")
    refused = edit("1.924")  # a Danish thousands point: 1924 hours, outside 1–80, not 1.924
    body = html.unescape(refused.get_data(as_text=True))
    assert "Skal ligge mellem 1 og 80 timer." in body  # the form is shown again with the error
    assert 'value="1.924"' in body  # kept as typed
    with app.app_context():
        assert Decimal(str(db.session.get(m.ShiftPlan, plan_id).hours_per_fte)) == Decimal("32.5")


def test_not_a_number_is_refused_in_danish_with_the_input_kept(app, planner):
    task, taker = _shiftable_rows(planner)[0]
    response = _quick_add(planner, task, taker, occurrences="to", minutes="10")
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Skriv et tal, fx 2,5." in body and "Not a valid decimal value" not in body
    assert 'value="to"' in body
