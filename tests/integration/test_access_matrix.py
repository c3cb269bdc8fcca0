"""The access matrix: every route in app.url_map × every role, with the status each role must get.

MATRIX lists every endpoint with the least role that may GET it and the least role that may POST to it (roles
rank anonymous < reader < planner < editor < reviewer < admin; None: the route has no such method). A route that
is missing from MATRIX fails test_every_route_is_in_the_matrix, so new routes cannot skip it.

Expected: a permitted GET → 200; a permitted POST with a valid CSRF token and empty data → the form again
(200/400/409) or a redirect, never 500; anonymous on a protected route → redirect to /login; a logged-in user
without the role → 403 — and for refused POSTs the database is unchanged.
"""
from __future__ import annotations

import functools
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from kb.app import create_app
from kb import models as m
from kb.extensions import db
from tests.conftest import test_config as config_for
from kb.auth.passwords import hash_password
from tests.helpers import PASSWORD, csrf_token, login

A, R, P, E, V, AD = "anonymous", "reader", "planner", "editor", "reviewer", "admin"
ROLES = (A, R, P, E, V, AD)
RANK = {role: i for i, role in enumerate(ROLES)}


class Access(NamedTuple):
    get: str | None  # least role that may GET; None: no GET on this route
    post: str | None  # least role that may POST; None: no POST on this route
    query: str = ""  # a sample query string for the GET
    get_ok: tuple[int, ...] = (200,)  # what a permitted GET returns


MATRIX: dict[str, Access] = {
    # Reading: open to anyone (KB_READ_REQUIRES_LOGIN=1 closes it; tests/integration/test_auth_read.py)
    "catalogue.home":            Access(A, None),
    "catalogue.task":            Access(A, None),
    "catalogue.professions":     Access(A, None),
    "catalogue.profession":      Access(A, None),
    "catalogue.law":             Access(A, None),
    "catalogue.provision":       Access(A, None),
    "catalogue.source":          Access(A, None, query="from=1&to=5"),
    "catalogue.competences":     Access(A, None),
    "catalogue.competence":      Access(A, None),
    "catalogue.educations":      Access(A, None),
    "catalogue.education":       Access(A, None),
    "search.search":             Access(A, None, query="q=blodpr%C3%B8ve"),
    "workbench.move_away":       Access(A, None, query="fra=sygeplejerske"),
    "api.openapi":               Access(A, None),
    "api.tasks":                 Access(A, None),
    "api.task":                  Access(A, None),
    "api.who_may":               Access(A, None),
    "api.professions":           Access(A, None),
    "api.profession":            Access(A, None),
    "api.shiftable":             Access(A, None),
    "api.provisions":            Access(A, None),
    "api.provision":             Access(A, None),
    "pdf.role_description":      Access(A, None),  # ?plan=<id> needs the plan's owner: test_pdf.py
    "pdf.task_sheet":            Access(A, None),
    # Accounts
    "auth.login":                Access(A, A, get_ok=(200, 302)),  # a logged-in user is sent on
    "auth.logout":               Access(None, R),
    "auth.users":                Access(AD, None),
    "auth.user_new":             Access(AD, AD),
    "auth.user_edit":            Access(AD, AD),
    "auth.user_password":        Access(AD, AD),
    # Shift plans (each role's own plan; someone else's plan is 404, see test_plans.py)
    "plans.index":               Access(P, None),
    "plans.new":                 Access(P, P),
    "plans.show":                Access(P, None),
    "plans.export_csv":          Access(P, None),
    "pdf.plan":                  Access(P, None),
    "plans.edit":                Access(P, P),
    "plans.copy":                Access(None, P),
    "plans.delete":              Access(P, P),
    "plans.new_item":            Access(P, P),
    "plans.edit_item":           Access(P, P),
    "plans.delete_item":         Access(None, P),
    "plans.quick_add":           Access(None, P),
    # The editors' workflow (kb/editing): drafts by editors, review by reviewers (an author never reviews)
    "editing.overview":          Access(E, None),
    "editing.new":               Access(E, E),
    "editing.edit":              Access(E, E),
    "editing.draft":             Access(E, None),
    "editing.submit":            Access(None, E),
    "editing.discard":           Access(None, E),
    "editing.publish":           Access(None, V),
    "editing.send_back":         Access(None, V),
    "editing.history":           Access(E, None),
    "editing.revert":            Access(E, E),
    # Import and export (overførsel): editors read and upload, reviewers commit
    "transfer.index":            Access(E, None),
    "transfer.export":           Access(E, None),
    "transfer.upload":           Access(None, E),
    "transfer.job":              Access(E, None, get_ok=(302,)),
    "transfer.commit":           Access(None, V),
}

# <slug> means a different record on each page: the path segment before it says which kind.
SLUG_KINDS = {
    "tasks": m.Task, "professions": m.Profession, "competences": m.Competence, "educations": m.Education,
    "provisions": m.Provision, "sources": m.SourceDocument, "acts": m.LegalAct, "law": m.LegalAct,
    "<kind>": m.Task,  # /redaktion/<kind>/<slug>/…: the samples edit a task (kind "opgave")
}
HTTP_METHODS = {"GET", "POST"}
POST_OK = {200, 302, 303, 400, 409}


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def may(role: str, least: str | None) -> bool:
    return least is not None and RANK[role] >= RANK[least]


def app_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


class Samples:
    """Real records to put in URLs: one user per role, and a plan with one item for each role that plans."""

    def __init__(self, app):
        self.app = app
        with app.app_context():  # one hash for all, so the set-up does not spend a second on scrypt
            users = [m.User(username=role, role=role, password_hash=_password_hash()) for role in ROLES[1:]]
            db.session.add_all(users)
            db.session.commit()
            self.user_ids = {user.role: user.id for user in users}
        self.plans: dict[str, tuple[int, int]] = {}
        with app.app_context():
            self.slugs = {}
            for segment, model in SLUG_KINDS.items():
                stmt = sa.select(model.slug).order_by(model.id).limit(1)
                if model is m.Task:
                    stmt = stmt.where(m.Task.status == "published")
                self.slugs[segment] = db.session.scalar(stmt)
            # The editors' workflow: a submitted draft by the editor and a published version, of one task.
            from kb.knowledge.documents import document_of

            task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == self.slugs["<kind>"]))
            doc = document_of(db.session, "task", task.slug)
            draft = m.Revision(entity_type="task", entity_slug=task.slug, entity_id=task.id, status="submitted",
                               data=dict(doc, title=doc["title"] + " (udkast)"), author_id=self.user_ids[E],
                               base_version=task.version_id, reason="Eksempel")
            version = m.Revision(entity_type="task", entity_slug=task.slug, entity_id=task.id, data=doc,
                                 status="published", reason="Eksempel")
            db.session.add_all([draft, version])
            db.session.commit()
            self.revisions = {"kind": "opgave", "draft_id": draft.id, "version_id": version.id}

    def slug(self, rule) -> str:
        parts = rule.rule.split("/")
        segment = parts[parts.index("<slug>") - 1] if "<slug>" in parts else None
        if segment not in self.slugs:
            pytest.fail(f"{rule.rule}: which kind of record is <slug>? Add its path segment to SLUG_KINDS")
        return self.slugs[segment]

    def plan(self, role: str) -> tuple[int, int]:
        """(plan id, item id) of the role's own plan, made again if a POST deleted it."""
        owner = role if role in (P, E, V, AD) else P
        with self.app.app_context():
            known = self.plans.get(owner)
            if known and db.session.get(m.ShiftPlanItem, known[1]) is not None:
                return known
            task = db.session.scalar(sa.select(m.Task).where(m.Task.status == "published").order_by(m.Task.id))
            nurse, ssa = (db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == s))
                          for s in ("sygeplejerske", "social-og-sundhedsassistent"))
            item = m.ShiftPlanItem(task=task, from_profession=nurse, to_profession=ssa, occurrences_per_week=5,
                                   minutes_each=10)
            plan = m.ShiftPlan(title=f"Plan for {owner}", owner_id=self.user_ids[owner], items=[item])
            db.session.add(plan)
            db.session.commit()
            self.plans[owner] = (plan.id, item.id)
            return self.plans[owner]

    def url(self, rule, role: str, query: str = "") -> str:
        values = {}
        for arg in rule.arguments:
            if arg == "slug":
                values[arg] = self.slug(rule)
            elif arg in ("plan_id", "item_id"):
                plan_id, item_id = self.plan(role)
                values[arg] = plan_id if arg == "plan_id" else item_id
            elif arg == "user_id":
                values[arg] = self.user_ids[R]
            elif arg in self.revisions:
                values[arg] = self.revisions[arg]
            else:
                pytest.fail(f"{rule.rule}: no sample value for <{arg}>; add one to Samples.url")
        path = rule.build(values, append_unknown=False)[1]
        return f"{path}?{query}" if query else path


def fingerprint() -> tuple:
    """Row counts, version sums, last updates, password hashes and status/role counts of every table, in one
    query: any write a refused request could make changes it."""
    columns = []
    for table in db.metadata.sorted_tables:
        aggregates = [sa.func.count()]
        if "version_id" in table.c:
            aggregates.append(sa.func.sum(table.c.version_id))
        if "updated_at" in table.c:
            aggregates.append(sa.func.max(table.c.updated_at))
        if "password_hash" in table.c:
            aggregates.append(sa.func.max(table.c.password_hash))
        columns += [sa.select(a).select_from(table).scalar_subquery() for a in aggregates]
        for name in ("status", "role", "active"):  # states that change without a new row: row by row
            if name in table.c:
                key = list(table.primary_key.columns)[0]
                ordered = sa.select(sa.cast(table.c[name], sa.String).label("v")).order_by(key).subquery()
                columns.append(sa.select(sa.func.aggregate_strings(ordered.c.v, ",")).scalar_subquery())
    row = tuple(db.session.execute(sa.select(*columns)).one())
    db.session.rollback()
    return row


class Visitor:
    """One client for one role: logged in once (again after it logs itself out), with a CSRF token at hand."""

    def __init__(self, app, role: str):
        self.app, self.role, self.client = app, role, app.test_client()
        self.sign_in()

    def sign_in(self) -> None:
        if self.role != A:
            assert login(self.client, self.role).status_code == 302
        self.token = csrf_token(self.client, "/login" if self.role == A else "/")

    def request(self, method: str, url: str):
        if method == "GET":
            return self.client.get(url)
        response = self.client.post(url, data={"csrf_token": self.token})
        if urlsplit(url).path == "/logout" and self.role != A:
            self.sign_in()
        return response


def check(visitor: Visitor, samples: Samples, rule, method: str) -> str | None:
    """The problem with this role's answer from this route, or None."""
    access = MATRIX[rule.endpoint]
    role = visitor.role
    least = access.get if method == "GET" else access.post
    url = samples.url(rule, role, access.query if method == "GET" else "")
    allowed = may(role, least)
    if not allowed and method == "POST":
        with visitor.app.app_context():
            before = fingerprint()
    response = visitor.request(method, url)
    status, location = response.status_code, response.headers.get("Location", "")
    to_login = status == 302 and urlsplit(location).path == "/login"
    what = f"{role:9} {method:4} {url} → {status} {location}".rstrip()
    if status >= 500:
        return what + " (server error)"
    if allowed:
        if to_login or status == 403:
            return what + f" (refused, but {least} and up may)"
        if method == "GET" and status not in access.get_ok:
            return what + f" (expected {access.get_ok})"
        if method == "POST" and status not in POST_OK:
            return what + f" (expected one of {sorted(POST_OK)})"
        return None
    expected = "redirect to /login" if role == A else "403"
    if (role == A and not to_login) or (role != A and status != 403):
        return what + f" (expected {expected}: needs {least})"
    if method == "POST":
        with visitor.app.app_context():
            if fingerprint() != before:
                return what + " (refused, but the database changed)"
    return None


def route_problems(app) -> list[str]:
    """Routes the matrix does not cover, methods it cannot express, and entries for routes that are gone."""
    problems = []
    endpoints = set()
    for rule in app_rules(app):
        endpoints.add(rule.endpoint)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if methods - HTTP_METHODS:
            problems.append(f"{rule.rule}: methods {sorted(methods - HTTP_METHODS)} are not covered by the matrix")
        access = MATRIX.get(rule.endpoint)
        if access is None:
            problems.append(f"{rule.endpoint} ({rule.rule}) is not in MATRIX: add it with the least role its "
                            "code checks")
            continue
        listed = {method for method, least in (("GET", access.get), ("POST", access.post)) if least}
        if listed != methods & HTTP_METHODS:
            problems.append(f"{rule.endpoint}: MATRIX says {sorted(listed)}, the route has {sorted(methods)}")
    problems += [f"{endpoint} is in MATRIX but no longer a route" for endpoint in sorted(set(MATRIX) - endpoints)]
    return problems


def test_every_route_is_in_the_matrix():
    problems = route_problems(create_app(config_for("sqlite://")))
    assert not problems, "\n".join(problems)


def test_a_new_route_fails_the_matrix():
    app = create_app(config_for("sqlite://"))
    app.add_url_rule("/hemmelig", "hemmelig", lambda: "", methods=["GET", "POST", "DELETE"])
    app.add_url_rule("/ny-plan-side", "plans.index_v2", lambda: "")
    problems = "\n".join(route_problems(app))
    assert "hemmelig (/hemmelig) is not in MATRIX" in problems and "['DELETE']" in problems
    assert "plans.index_v2" in problems


@pytest.fixture
def layout_free_pdfs(monkeypatch):
    """Who may fetch a PDF is decided before WeasyPrint lays it out (seconds a document; the PDFs themselves are
    tested in test_pdf.py), so access tests send the route's HTML instead of laying it out."""
    monkeypatch.setattr("kb.pdf.render.html_to_pdf", lambda html, base_url: html.encode())


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, role, layout_free_pdfs):
    samples = Samples(app)
    visitor = Visitor(app, role)
    problems = []
    rules = app_rules(app)
    missing = [rule.endpoint for rule in rules if rule.endpoint not in MATRIX]
    assert not missing, f"not in MATRIX (see test_every_route_is_in_the_matrix): {missing}"
    # Reads first, then writes, so a POST that deletes or logs out happens after the pages are seen.
    for method in ("GET", "POST"):
        for rule in rules:
            if method in rule.methods and (problem := check(visitor, samples, rule, method)):
                problems.append(problem)
    assert not problems, f"{len(problems)} routes answer {role} wrongly:\n" + "\n".join(problems)


def test_the_matrix_catches_a_wrong_entry(app, monkeypatch):
    """The checker itself: a protected route listed as open, and an open one listed as admin-only, both fail."""
    samples = Samples(app)
    rules = {rule.endpoint: rule for rule in app_rules(app)}
    monkeypatch.setitem(MATRIX, "plans.index", Access(A, None))
    monkeypatch.setitem(MATRIX, "catalogue.home", Access(AD, None))
    monkeypatch.setitem(MATRIX, "auth.user_new", Access(AD, R))
    anonymous, reader = Visitor(app, A), Visitor(app, R)
    assert "refused, but anonymous" in check(anonymous, samples, rules["plans.index"], "GET")
    assert "expected 403" in check(reader, samples, rules["catalogue.home"], "GET")
    assert "refused, but reader" in check(reader, samples, rules["auth.user_new"], "POST")
    with app.app_context():  # and the database fingerprint notices a write that adds no row
        before = fingerprint()
        db.session.get(m.User, samples.user_ids[R]).role = "editor"
        db.session.commit()
        assert fingerprint() != before
