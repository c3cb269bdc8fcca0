"""Ask the engine: who may take over one task; which of a group's tasks others may take over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext

from kb import models as m
from kb.extensions import db
from kb.models.enums import COMPLEXITIES
from kb.knowledge_state import cached
from kb.rules import Context, Result, Shortlisted, TaskFact, Verdict, explain, rank, shortlist, who_may, who_may_one
from kb.whomay.facts import Catalogue, load_catalogue, make_context, task_fact
from kb.whomay.task_facts import load_task_fact, load_task_facts, load_task_facts_held_by


class BadContext(ValueError):
    """A context parameter a user gave is not valid; the message (in the request's language) names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


def parse_context(args) -> Context:
    """setting / complexity / date / organisation from request args, each checked, into an engine Context."""
    setting = (args.get("setting") or "").strip() or None
    organisation = (args.get("organisation") or "").strip() or None
    if organisation and organisation not in load_catalogue().organisations:
        raise BadContext("organisation", gettext("'organisation': ukendt region eller kommune '%(value)s'.",
                                                 value=organisation))
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
    return make_context(setting, complexity, on, organisation)


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


def matrix_for(task: m.Task | TaskFact, context: Context, catalogue: Catalogue | None = None) -> Matrix:
    catalogue = catalogue or load_catalogue()
    fact = task if isinstance(task, TaskFact) else task_fact(task)
    results = rank(who_may(fact, catalogue.professions, context, catalogue.knowledge), catalogue.professions)
    return Matrix(task=fact, results=results, context=context, catalogue=catalogue)


def matrix_by_slug(slug: str, context: Context) -> Matrix | None:
    task = load_task_fact(slug)
    return None if task is None else matrix_for(task, context)


@dataclass(frozen=True)
class Shiftable:
    """The tasks a group holds that others may take over (flytbare opgaver), ranked; explained a page at a time."""

    holder: str
    shortlist: list[Shortlisted]
    context: Context
    catalogue: Catalogue

    @property
    def total(self) -> int:
        return len(self.shortlist)

    def page(self, offset: int = 0, limit: int | None = None) -> list[tuple[TaskFact, list[Result]]]:
        """Tasks ``offset`` … ``offset + limit`` with their takers' full results (all when ``limit`` is None)."""
        chosen = self.shortlist[offset:None if limit is None else offset + limit]
        return explain(chosen, self.catalogue.professions, self.context, self.catalogue.knowledge)

    def taker_counts(self) -> list[tuple[str, dict[Verdict, int]]]:
        """Per taker, how many of all the tasks it is shortlisted for, by verdict; most tasks first, then name."""
        counts: dict[str, dict[Verdict, int]] = {}
        for item in self.shortlist:
            for slug, verdict in item.takers:
                per = counts.setdefault(slug, {})
                per[verdict] = per.get(verdict, 0) + 1
        name = self.catalogue.knowledge.profession_name
        return sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), name(kv[0]), kv[0]))


def shiftable_for(profession_slug: str, context: Context, limit_takers: int = 5) -> Shiftable | None:
    """Tasks the group holds that another group may take over, each with its best takers; None if unknown slug.

    The ranked shortlist is kept per process and knowledge version (kb.knowledge_state): building it reads every
    task the group holds, which for nurses on a national catalogue is 16,000 tasks."""
    catalogue = load_catalogue()
    holder = catalogue.profession(profession_slug)
    if holder is None:
        return None

    def build() -> list[Shortlisted]:
        return shortlist(holder, load_task_facts_held_by(profession_slug), catalogue.professions, context,
                         catalogue.knowledge, limit_takers)

    name = (f"{profession_slug}|{context.setting}|{context.complexity}|{context.on.isoformat()}|"
            f"{context.organisation}|{limit_takers}")
    items = cached(db.session, name, build, family="whomay.shortlist", keep=4)  # ~20 MB each for nurses
    return Shiftable(holder=profession_slug, shortlist=items, context=context, catalogue=catalogue)


def takeover_for(profession_slug: str, context: Context):
    """Tasks other groups hold that this profession may take over, grouped by verdict (best first).

    Leaves out tasks the profession (or its parent) already holds and tasks it may not do. None for an unknown slug.
    """
    catalogue = load_catalogue()
    profession = catalogue.profession(profession_slug)
    if profession is None:
        return None
    own = {profession.slug, profession.parent} - {None}
    groups: dict[Verdict, list[tuple[TaskFact, Result]]] = {v: [] for v in Verdict if v is not Verdict.NOT_ALLOWED}
    for fact in load_task_facts(sa.true()):
        if fact.holders & own:
            continue
        result = who_may_one(fact, profession, context, catalogue.knowledge)
        if result.verdict is not Verdict.NOT_ALLOWED:
            groups[result.verdict].append((fact, result))
    return [(v, items) for v, items in groups.items() if items]
