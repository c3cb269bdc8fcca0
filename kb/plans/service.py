"""What a plan frees and what must be in place: hours and FTE per group, and the engine's conditions per item."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from flask import abort
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.extensions import db
from kb.rules import Result
from kb.whomay.facts import make_context
from kb.whomay.service import results_for


@dataclass
class GroupHours:
    profession: m.Profession
    hours_per_week: float = 0.0

    def fte(self, hours_per_fte: float) -> float:
        return self.hours_per_week / hours_per_fte if hours_per_fte else 0.0


@dataclass
class ItemCheck:
    item: m.ShiftPlanItem
    result: Result


@dataclass
class PlanSummary:
    plan: m.ShiftPlan
    freed: list[GroupHours] = field(default_factory=list)  # per source profession
    added: list[GroupHours] = field(default_factory=list)  # per taking profession
    checks: list[ItemCheck] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        return sum(g.hours_per_week for g in self.freed)

    @property
    def total_fte(self) -> float:
        return self.total_hours / self.plan.hours_per_fte

    @property
    def blocked(self) -> list[ItemCheck]:
        return [c for c in self.checks if not c.result.verdict.allowed]


def own_plan_or_404(plan_id: int) -> m.ShiftPlan:
    """The plan, if the signed-in user owns it (or is an administrator); 404 otherwise — the rule for the plan page,
    its CSV and every PDF made from it, in one place."""
    plan = load_plan(plan_id)
    if plan is None or (plan.owner_id != current_user.id and current_user.role != "admin"):
        abort(404, description=gettext("Planen findes ikke."))
    return plan


def load_plan(plan_id: int) -> m.ShiftPlan | None:
    return db.session.scalar(sa.select(m.ShiftPlan).where(m.ShiftPlan.id == plan_id).options(
        selectinload(m.ShiftPlan.items).selectinload(m.ShiftPlanItem.task),
        selectinload(m.ShiftPlan.items).selectinload(m.ShiftPlanItem.from_profession),
        selectinload(m.ShiftPlan.items).selectinload(m.ShiftPlanItem.to_profession)))


def _hours(items, key) -> list[GroupHours]:
    groups: dict[int, GroupHours] = {}
    for item in items:
        p = key(item)
        groups.setdefault(p.id, GroupHours(p)).hours_per_week += item.hours_per_week
    return sorted(groups.values(), key=lambda g: (-g.hours_per_week, g.profession.name))


def summarise(plan: m.ShiftPlan) -> PlanSummary:
    """Hours and FTE per group, and for each item the engine's verdict for the taker: the plan's checklist."""
    summary = PlanSummary(plan, _hours(plan.items, lambda i: i.from_profession),
                          _hours(plan.items, lambda i: i.to_profession))
    if not plan.items:
        return summary
    items = list(plan.items)
    results = results_for([(i.task_id, i.to_profession.slug) for i in items], make_context())
    summary.checks.extend(ItemCheck(item, result) for item, result in zip(items, results))
    return summary


def choices():
    """(value, label) lists for the task and profession selects."""
    tasks = db.session.execute(sa.select(m.Task.slug, m.Task.title).where(m.Task.status == "published")
                               .order_by(m.Task.title)).all()
    professions = db.session.execute(sa.select(m.Profession.slug, m.Profession.name)
                                     .order_by(m.Profession.name)).all()
    pick = ("", gettext("— vælg —"))
    return [pick, *(tuple(row) for row in tasks)], [pick, *(tuple(row) for row in professions)]


def by_slug(model, slug: str):
    return db.session.scalar(sa.select(model).where(model.slug == slug))

