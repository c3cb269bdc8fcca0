"""Ask the engine: who may take over one task; which of a group's tasks others may take over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext

from kb import models as m
from kb.extensions import db
from kb.models.enums import COMPLEXITIES
from kb.rules import Context, Result, TaskFact, Verdict, rank, shiftable, who_may, who_may_one
from kb.whomay.facts import (
    TASK_LOADS, Catalogue, load_catalogue, load_task, load_tasks_held_by, make_context, task_fact,
)


class BadContext(ValueError):
    """A context parameter a user gave is not valid; the message (in the request's language) names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


def parse_context(args) -> Context:
    """setting / complexity / date from request args, each checked, into an engine Context."""
    setting = (args.get("setting") or "").strip() or None
    complexity = (args.get("complexity") or "").strip() or None
    raw_date = (args.get("date") or "").strip() or None
    if setting and db.session.scalar(sa.select(m.Setting.id).where(m.Setting.slug == setting)) is None:
        raise BadContext("setting", gettext("'setting': ukendt miljø '%(value)s'.", value=setting))
    if complexity and complexity not in COMPLEXITIES:
        raise BadContext("complexity", gettext("'complexity' skal være en af %(values)s.",
                                                values=", ".join(COMPLEXITIES)))
    on = None
    if raw_date:
        try:
            on = date.fromisoformat(raw_date)
        except ValueError:
            raise BadContext("date", gettext("'date' skal være en dato som ÅÅÅÅ-MM-DD (fik '%(value)s').",
                                             value=raw_date)) from None
    return make_context(setting, complexity, on)


@dataclass(frozen=True)
class Matrix:
    """The who-may answer for one task: every profession's result, best first, and the same grouped by verdict."""

    task: TaskFact
    results: list[Result]
    context: Context
    catalogue: Catalogue

    def by_verdict(self) -> list[tuple[Verdict, list[Result]]]:
        groups = [(v, [r for r in self.results if r.verdict is v]) for v in Verdict]
        return [(v, rs) for v, rs in groups if rs]

    def name(self, slug: str) -> str:
        return self.catalogue.knowledge.profession_name(slug)

    def display_name(self, slug: str) -> str:
        """The profession's name in the UI language (pages); `name` stays Danish for the API and the CLI."""
        return self.catalogue.display_name(slug)


def matrix_for(task: m.Task, context: Context, catalogue: Catalogue | None = None) -> Matrix:
    catalogue = catalogue or load_catalogue()
    fact = task_fact(task)
    results = rank(who_may(fact, catalogue.professions, context, catalogue.knowledge), catalogue.professions)
    return Matrix(task=fact, results=results, context=context, catalogue=catalogue)


def matrix_by_slug(slug: str, context: Context) -> Matrix | None:
    task = load_task(slug)
    return None if task is None else matrix_for(task, context)


def shiftable_for(profession_slug: str, context: Context, limit_takers: int = 5):
    """Tasks the group holds that another group may take over, each with its best takers; None if unknown slug."""
    catalogue = load_catalogue()
    holder = catalogue.profession(profession_slug)
    if holder is None:
        return None, catalogue
    tasks = [task_fact(t) for t in load_tasks_held_by(profession_slug)]
    items = shiftable(holder, tasks, catalogue.professions, context, catalogue.knowledge, limit_takers=limit_takers)
    return items, catalogue


def takeover_for(profession_slug: str, context: Context):
    """Tasks other groups hold that this profession may take over, grouped by verdict (best first).

    Leaves out tasks the profession (or its parent) already holds and tasks it may not do. None for an unknown slug.
    """
    catalogue = load_catalogue()
    profession = catalogue.profession(profession_slug)
    if profession is None:
        return None
    own = {profession.slug, profession.parent} - {None}
    tasks = db.session.scalars(
        sa.select(m.Task).where(m.Task.status == "published").options(*TASK_LOADS).order_by(m.Task.title)).all()
    groups: dict[Verdict, list[tuple[TaskFact, Result]]] = {v: [] for v in Verdict if v is not Verdict.NOT_ALLOWED}
    for task in tasks:
        fact = task_fact(task)
        if fact.holders & own:
            continue
        result = who_may_one(fact, profession, context, catalogue.knowledge)
        if result.verdict is not Verdict.NOT_ALLOWED:
            groups[result.verdict].append((fact, result))
    return [(v, items) for v, items in groups.items() if items]
