"""The admin's user pages: create, change role, deactivate/reactivate, reset password — audited, self-protected,
and a second admin's save refused with the first one's input kept."""
from __future__ import annotations

import re

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import PASSWORD, csrf_token, login, make_user

NEW_PASSWORD = "ny-kode-til-2-dage"
SEEN_RE = re.compile(r'name="seen"[^>]*value="([^"]*)"')


def _admin_client(app, username="chef"):
    admin_id = make_user(app, username, "admin")
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client, admin_id


def _events(app, action):
    with app.app_context():
        return db.session.execute(sa.select(m.AuditEvent.user_id, m.AuditEvent.entity_id, m.AuditEvent.data)
                                  .where(m.AuditEvent.action == action)).all()


def _user(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(m.User).where(m.User.username == username))
        db.session.expunge_all()
        return user


def _edit_form(client, user_id):
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    return {"csrf_token": csrf_token(client, f"/admin/users/{user_id}"), "seen": SEEN_RE.search(page).group(1)}


def test_admin_lists_users_with_role_and_status(app):
    client, _ = _admin_client(app)
    make_user(app, "leder", "planner")
    spaerret = make_user(app, "gammel", "editor")
    with app.app_context():
        db.session.get(m.User, spaerret).active = False
        db.session.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    assert "leder" in page and "Planlægger (afdelingsleder)" in page and "Redaktør" in page
    assert "Spærret" in page and "Aktiv" in page
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)  # the admin's nav link


def test_create_user_keeps_input_and_explains_in_danish(app):
    client, admin_id = _admin_client(app)
    make_user(app, "optaget", "reader")
    token = csrf_token(client, "/admin/users/new")
    bad = client.post("/admin/users/new", data={
        "csrf_token": token, "username": "Søren Hansen", "name": "Søren Hansen", "email": "soren@",
        "role": "editor", "password": "kort", "password_again": "anden"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "ingen mellemrum eller æ, ø, å" in page
    assert "Skriv en gyldig e-mailadresse" in page
    assert "Adgangskoden skal have mindst 10 tegn." in page and "De to adgangskoder er ikke ens." in page
    assert 'value="Søren Hansen"' in page and 'value="soren@"' in page  # typed input stays
    assert re.search(r'<option selected value="editor">|<option value="editor" selected', page)
    taken = client.post("/admin/users/new", data={
        "csrf_token": token, "username": "OPTAGET", "role": "reader", "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD})
    assert taken.status_code == 400 and "Brugernavnet er allerede i brug." in taken.get_data(as_text=True)

    ok = client.post("/admin/users/new", data={
        "csrf_token": token, "username": "soeren", "name": "Søren Hansen", "email": "soren@region.dk",
        "role": "editor", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert ok.status_code == 302 and ok.headers["Location"] == "/admin/users"
    soeren = _user(app, "soeren")
    assert (soeren.role, soeren.name, soeren.email) == ("editor", "Søren Hansen", "soren@region.dk")
    assert soeren.active is True
    assert NEW_PASSWORD not in soeren.password_hash and soeren.password_hash.startswith("scrypt:")
    assert _events(app, "user_created") == [(admin_id, soeren.id, {"username": "soeren", "role": "editor"})]
    assert login(app.test_client(), "soeren", NEW_PASSWORD).status_code == 302


def test_change_role_is_audited_and_takes_effect_at_once(app):
    client, admin_id = _admin_client(app)
    leder_id = make_user(app, "leder", "reader")
    leder = app.test_client()
    login(leder, "leder")
    assert leder.get("/plans/").status_code == 403
    form = _edit_form(client, leder_id)
    response = client.post(f"/admin/users/{leder_id}", data={**form, "role": "planner", "active": "y",
                                                              "name": "Lene Leder", "email": ""})
    assert response.status_code == 302
    assert leder.get("/plans/").status_code == 200  # the open session sees the new role on its next request
    assert _events(app, "user_role_changed") == [(admin_id, leder_id, {"before": "reader", "after": "planner"})]
    assert _events(app, "user_updated")[0][:2] == (admin_id, leder_id)


def test_deactivated_user_cannot_log_in_and_loses_the_session(app):
    client, admin_id = _admin_client(app)
    user_id = make_user(app, "vikar", "planner")
    vikar = app.test_client()
    login(vikar, "vikar")
    assert vikar.get("/plans/").status_code == 200
    form = _edit_form(client, user_id)
    assert client.post(f"/admin/users/{user_id}", data={**form, "role": "planner"}).status_code == 302  # unticked
    assert _user(app, "vikar").active is False
    assert vikar.get("/plans/").headers["Location"].startswith("/login")  # logged out on the next request
    refused = login(app.test_client(), "vikar")
    assert refused.status_code == 200 and "Forkert brugernavn eller adgangskode." in refused.get_data(as_text=True)
    assert "Spærret" in client.get("/admin/users").get_data(as_text=True)

    form = _edit_form(client, user_id)
    assert client.post(f"/admin/users/{user_id}", data={**form, "role": "planner", "active": "y"}).status_code == 302
    assert login(app.test_client(), "vikar").status_code == 302
    assert [e[:2] for e in _events(app, "user_deactivated")] == [(admin_id, user_id)]
    assert [e[:2] for e in _events(app, "user_reactivated")] == [(admin_id, user_id)]


def test_admin_cannot_demote_or_lock_out_themselves(app):
    client, admin_id = _admin_client(app)
    form = _edit_form(client, admin_id)
    response = client.post(f"/admin/users/{admin_id}", data={**form, "role": "editor", "name": "Chef"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Du kan ikke fjerne din egen administratorrolle." in page
    assert "Du kan ikke spærre din egen bruger." in page
    assert 'value="Chef"' in page
    me = _user(app, "chef")
    assert (me.role, me.active, me.name) == ("admin", True, "")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(m.AuditEvent)
                                 .where(m.AuditEvent.entity_type == "user", m.AuditEvent.action != "login")) == 0


def test_reset_password(app):
    client, admin_id = _admin_client(app)
    user_id = make_user(app, "glemsom", "reader")
    token = csrf_token(client, f"/admin/users/{user_id}/password")
    weak = client.post(f"/admin/users/{user_id}/password", data={
        "csrf_token": token, "password": "abcdefghijkl", "password_again": "abcdefghijkl"})
    assert weak.status_code == 400
    assert "Adgangskoden skal blande bogstaver med tal eller tegn." in weak.get_data(as_text=True)
    ok = client.post(f"/admin/users/{user_id}/password", data={
        "csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert ok.status_code == 302
    assert login(app.test_client(), "glemsom", PASSWORD).status_code == 200  # the old one no longer works
    assert login(app.test_client(), "glemsom", NEW_PASSWORD).status_code == 302
    events = _events(app, "user_password_reset")
    assert [e[:2] for e in events] == [(admin_id, user_id)]
    with app.app_context():
        summaries = " ".join(db.session.scalars(sa.select(m.AuditEvent.summary)))
    assert NEW_PASSWORD not in summaries


def test_second_admin_save_is_refused_and_input_kept(app):
    first, _ = _admin_client(app, "chef")
    second, _ = _admin_client(app, "chef2")
    user_id = make_user(app, "delt", "reader")
    form_first = _edit_form(first, user_id)
    form_second = _edit_form(second, user_id)
    saved = first.post(f"/admin/users/{user_id}", data={**form_first, "role": "editor", "active": "y"})
    assert saved.status_code == 302
    login(app.test_client(), "delt")  # a login alone (last_login_at, updated_at) is not a conflicting change
    late = second.post(f"/admin/users/{user_id}", data={**form_second, "role": "planner", "active": "y",
                                                         "name": "Navn fra anden admin"})
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "En anden har ændret brugeren" in page and "rolle Redaktør" in page
    assert 'value="Navn fra anden admin"' in page
    assert f'href="/admin/users/{user_id}"' in page
    assert _user(app, "delt").role == "editor"  # the first save stands
    # With the fresh form the second admin can save.
    fresh = _edit_form(second, user_id)
    assert second.post(f"/admin/users/{user_id}", data={**fresh, "role": "planner", "active": "y"}).status_code == 302
    assert _user(app, "delt").role == "planner"


def test_unknown_user_is_404(app):
    client, _ = _admin_client(app)
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/users/999999/password").status_code == 404
