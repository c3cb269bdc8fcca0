"""Pick a profession; see the tasks it holds that others can and may take over: one row per task with its best three
realistic takers (kan og må), filtered by setting and "kun anbefalede"."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import PLANNERS, has_role
from kb.extensions import db
from kb.web import request_context
from kb.i18n import english
from kb.whomay.service import shiftable_for
from kb.workbench import bp

PER_PAGE = 50  # tasks per page: nurses hold 16,000 on a national catalogue
TAKERS = 3  # the best realistic takers a row shows: what a leader weighs for one task


@bp.get("/flyt")
def move_away():
    professions = db.session.scalars(sa.select(m.Profession).order_by(m.Profession.name)).all()
    slug = request.args.get("fra") or None
    if slug is None:
        return render_template("workbench/move_away.html", professions=professions, holder=None)
    holder = next((p for p in professions if p.slug == slug), None)
    if holder is None:
        abort(404, description=gettext("Faggruppen findes ikke."))
    context = request_context()
    recommended_only = request.args.get("anbefalede") == "1"
    found = shiftable_for(slug, context, limit_takers=TAKERS, recommended_only=recommended_only)
    try:
        page = max(1, int(request.args.get("side", 1)))
    except ValueError:
        page = 1
    pages = max(1, -(-found.total // PER_PAGE))
    page = min(page, pages)
    items = found.page((page - 1) * PER_PAGE, PER_PAGE)
    catalogue = found.catalogue

    def link(side: int) -> str:
        return url_for("workbench.move_away", **{**request.args.to_dict(), "side": side})

    plans = []
    if has_role(PLANNERS):
        plans = db.session.scalars(sa.select(m.ShiftPlan).where(m.ShiftPlan.owner_id == current_user.id)
                                   .order_by(m.ShiftPlan.title)).all()
    held = db.session.scalar(sa.select(sa.func.count()).select_from(m.Task).join(m.Task.holders)
                             .where(m.Profession.id == holder.id, m.Task.status == "published"))
    # The engine's task facts carry the Danish title only; English titles come from the table.
    titles = {} if not english() else dict(db.session.execute(
        sa.select(m.Task.slug, m.Task.title_en).where(m.Task.title_en != "")).all())
    settings = db.session.scalars(sa.select(m.Setting).order_by(m.Setting.name)).all()
    return render_template("workbench/move_away.html", professions=professions, holder=holder, items=items,
                           names=catalogue.display_name, plans=plans, total=found.total,
                           taker_counts=found.taker_counts(), page=page, pages=pages, link=link,
                           can_plan=has_role(PLANNERS), held=held, catalogue=catalogue, titles=titles,
                           settings=settings, context=context, recommended_only=recommended_only)
