"""PDF routes. Reading PDFs are as open as their pages; anything showing a shift plan needs its owner (or an admin)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext
from flask_login import current_user
from werkzeug.exceptions import ServiceUnavailable

from kb import httpcache
from kb import models as m
from kb.auth.roles import PLANNERS, role_required
from kb.extensions import db
from kb.web import request_context
from kb.knowledge_state import current_token
from kb.pdf import bp, render, service, store
from kb.pdf.render import PDF_MIMETYPE
from kb.plans.service import own_plan_or_404 as own_plan  # the plan page's access rule, shared so they cannot drift
from kb.plans.service import PlanSummary, summarise


def pdf_response(data: bytes, filename: str, private: bool = False) -> Response:
    response = Response(data, mimetype=PDF_MIMETYPE,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    if private:  # plans are the planner's own data: keep them out of shared caches
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(store.RendersBusy)
def renders_busy(error: store.RendersBusy):
    """Every render slot is taken: the error page (as for any 503) with Retry-After."""
    response = current_app.make_response(current_app.handle_http_exception(ServiceUnavailable(error.description)))
    response.headers["Retry-After"] = str(error.retry_seconds)
    return response


def _render(template: str, **values) -> bytes:
    """Lay a templates/pdf/ template out (the caller holds a render slot). The HTML is built first (all the
    queries); then the request's read transaction ends, so no snapshot or lock is held through seconds of
    WeasyPrint."""
    html = render_template(template, **values)
    db.session.rollback()
    return render.html_to_pdf(html, request.url_root)


def _stored(key: str, filename: str, build) -> Response:
    """A PDF from the store, or rendered (``build()`` gives the template and its values, or None: 404) and stored.
    Anonymous readers get an ETag, 304 when theirs is current, and Cache-Control: public; signed-in users get the
    same stored bytes, but privately (kb/web.py). ``X-KB-Cache`` says whether the bytes were stored already."""
    token = current_token(db.session)
    etag = httpcache.etag_for("pdf", key) if httpcache.anonymous_read() else None
    if (unchanged := httpcache.not_modified(etag)) is not None:
        return unchanged
    data = store.load(key, token) if token else None
    hit = data is not None
    if data is None:
        with store.render_slot():
            found = build()
            if found is None:
                abort(404, description=gettext("Opgaven findes ikke."))
            template, values = found
            data = _render(template, made=_made(), **values)
        if token:
            store.save(key, token, data)
    response = pdf_response(data, filename)
    response.headers["X-KB-Cache"] = "hit" if hit else "miss"
    return httpcache.mark_public(response, etag) if etag else response


def _context():
    return request_context()


def _plan_from_args() -> tuple[PlanSummary | None, Response | None]:
    """?plan=<id>: the plan's summary, after the plan page's checks (login, planner role, own plan)."""
    raw = (request.args.get("plan") or "").strip()
    if not raw:
        return None, None
    if not current_user.is_authenticated:
        from kb.extensions import login_manager

        return None, login_manager.unauthorized()
    if current_user.role not in PLANNERS:
        abort(403, description=gettext("Din rolle giver ikke adgang til denne handling."))
    if not raw.isdigit():
        abort(400, description=gettext("'plan' skal være nummeret på en plan (fik '%(value)s').", value=raw))
    return summarise(own_plan(int(raw))), None


def _made() -> datetime:
    return datetime.now().astimezone()


def _annex() -> bool:
    """?bilag=1: the role description with its annex (the full lists); 0 or absent: without."""
    raw = (request.args.get("bilag") or "").strip()
    if raw not in ("", "0", "1"):
        abort(400, description=gettext("'bilag' skal være 1 eller 0 (fik '%(value)s').", value=raw))
    return raw == "1"


@bp.get("/professions/<slug>/role.pdf")
def role_description(slug: str):
    """Funktionsbeskrivelse; ?setting=, ?complexity=, ?date= as on the profession page; ?bilag=1 adds the annex
    with the full lists; ?plan=<id> for planners."""
    if db.session.scalar(sa.select(m.Profession.id).where(m.Profession.slug == slug)) is None:
        abort(404, description=gettext("Faggruppen findes ikke."))
    context = _context()
    annex = _annex()
    plan, refused = _plan_from_args()
    if refused is not None:
        return refused
    suffix = (f"-{context.setting}" if context.setting else "") + ("-bilag" if annex else "")
    filename = f"funktionsbeskrivelse-{slug}{suffix}.pdf"
    if plan is not None:  # one planner's own plan: never stored, never shared
        with store.render_slot():
            doc = service.role_description(slug, context, plan, annex=annex)
            data = _render("pdf/role.html", doc=doc, stamp=doc.stamp, made=_made())
        return pdf_response(data, filename, private=True)

    def build():
        doc = service.role_description(slug, context, annex=annex)
        return ("pdf/role.html", {"doc": doc, "stamp": doc.stamp}) if doc is not None else None

    key = store.key_for("role", slug, context, annex=annex, drafts=service.open_drafts("profession", slug))
    return _stored(key, filename, build)


@bp.get("/tasks/<slug>/sheet.pdf")
def task_sheet(slug: str):
    """Opgaveark: the who-may matrix in the page's context (?setting=, ?complexity=, ?date=)."""
    context = _context()

    def build():
        sheet = service.task_sheet(slug, context)
        return ("pdf/task.html", {"sheet": sheet, "stamp": sheet.stamp}) if sheet is not None else None

    key = store.key_for("sheet", slug, context, drafts=service.open_drafts("task", slug))
    return _stored(key, f"opgaveark-{slug}.pdf", build)


@bp.get("/plans/<int:plan_id>.pdf")
@role_required(PLANNERS)
def plan(plan_id: int):
    own = own_plan(plan_id)  # the access check first: someone else's plan is a 404 even when renders are busy
    with store.render_slot():  # a plan changes outside the knowledge token: rendered each time, never stored
        summary = summarise(own)
        data = _render("pdf/plan.html", summary=summary, stamp=service.knowledge_stamp(), made=_made())
    return pdf_response(data, f"plan-{plan_id}.pdf", private=True)
