"""PDF routes. Reading PDFs are as open as their pages; anything showing a shift plan needs its owner (or an admin)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Response, abort, request
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import PLANNERS, role_required
from kb.extensions import db
from kb.pdf import bp, service
from kb.pdf.render import PDF_MIMETYPE, render_pdf
from kb.plans.service import own_plan_or_404 as own_plan  # the plan page's access rule, shared so they cannot drift
from kb.plans.service import PlanSummary, summarise
from kb.whomay.service import BadContext, parse_context


def pdf_response(data: bytes, filename: str, private: bool = False) -> Response:
    response = Response(data, mimetype=PDF_MIMETYPE,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    if private:  # plans are the planner's own data: keep them out of shared caches
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _context():
    try:
        return parse_context(request.args)
    except BadContext as exc:
        abort(400, description=str(exc))


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
    doc = service.role_description(slug, context, plan, annex=annex)
    data = render_pdf("pdf/role.html", request.url_root, doc=doc, stamp=doc.stamp, made=_made())
    suffix = (f"-{context.setting}" if context.setting else "") + ("-bilag" if annex else "")
    return pdf_response(data, f"funktionsbeskrivelse-{slug}{suffix}.pdf", private=plan is not None)


@bp.get("/tasks/<slug>/sheet.pdf")
def task_sheet(slug: str):
    """Opgaveark: the who-may matrix in the page's context (?setting=, ?complexity=, ?date=)."""
    context = _context()
    sheet = service.task_sheet(slug, context)
    if sheet is None:
        abort(404, description=gettext("Opgaven findes ikke."))
    data = render_pdf("pdf/task.html", request.url_root, sheet=sheet, stamp=sheet.stamp, made=_made())
    return pdf_response(data, f"opgaveark-{slug}.pdf")


@bp.get("/plans/<int:plan_id>.pdf")
@role_required(PLANNERS)
def plan(plan_id: int):
    summary = summarise(own_plan(plan_id))
    data = render_pdf("pdf/plan.html", request.url_root, summary=summary, stamp=service.knowledge_stamp(),
                      made=_made())
    return pdf_response(data, f"plan-{plan_id}.pdf", private=True)
