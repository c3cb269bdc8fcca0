"""The access matrix's data and machinery (tests/integration/test_access_matrix.py checks it; test_csrf.py and
test_auth_read.py use it): MATRIX lists every endpoint with the least role that may GET it and the least role that
may POST to it (roles rank anonymous < reader < planner < editor < reviewer < admin; None: the route has no such
method); Samples puts real records into every route's URL; a Visitor is one logged-in client per role."""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from tests.helpers import csrf_token, login, password_hash

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
    "catalogue.profession_tasks_csv":     Access(A, None),
    "catalogue.profession_tasks_xlsx":    Access(A, None),
    "catalogue.profession_takeover_csv":  Access(A, None),
    "catalogue.profession_takeover_xlsx": Access(A, None),
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


def may(role: str, least: str | None) -> bool:
    return least is not None and RANK[role] >= RANK[least]


def app_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


class Samples:
    """Real records to put in URLs: one user per role, and a plan with one item for each role that plans."""

    def __init__(self, app):
        self.app = app
        with app.app_context():  # one hash for all, so the set-up does not spend a second on scrypt
            users = [m.User(username=role, role=role, password_hash=password_hash()) for role in ROLES[1:]]
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
