"""The one door to the who-may engine (kb.rules): every page, API route, CLI command, PDF, plan, search facet and
the editing preview asks here, and nothing else decides who may do what.

Each question loads its facts through the one loader (kb.whomay.task_facts) and the cached catalogue
(kb.whomay.facts), builds the context (make_context / parse_context), and returns the engine's own results:
who may take over one task (matrix), which of a group's tasks others may take over (shiftable), which tasks a group
may take over (takeover), a verdict per task for one group (verdicts_for, the search facet), the verdicts for a
plan's items (results_for), a verdict table over contexts (verdict_table, the preview) and a group's reserved area
(reserved_area, the role description).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import sqlalchemy as sa
from flask_babel import gettext

from kb import models as m
from kb.extensions import db
from kb.models.enums import COMPLEXITIES
from kb.knowledge_state import cached
from kb.rules import (
    Context, ProfessionFact, ProvisionFact, Result, Shortlisted, TaskFact, Verdict, explain, rank, reservation,
    related, shortlist, who_may, who_may_one,
)
from kb.models.law import provision_reserved_to
from kb.models.task import task_provision
from kb.whomay.facts import Catalogue, load_catalogue, make_context
from kb.whomay.patches import (
    by_task_title, patch_entries, patch_shortlist, patch_takeover, patch_verdicts, takeover_groups,
)
from kb.whomay.task_facts import load_task_fact, load_task_facts, load_task_facts_by_id, load_task_facts_held_by


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
        return _grouped(self.results)

    def best(self) -> list[Result]:
        """"Bedst egnede": the realistic takers (may, and can with at most oplæring or a course), best first."""
        return [r for r in self.results if r.realistic][:BEST_TAKERS]

    def rest_by_verdict(self) -> list[tuple[Verdict, list[Result]]]:
        """Everyone not among the best, grouped by verdict (the page shows them collapsed)."""
        best = {r.profession for r in self.best()}
        return _grouped([r for r in self.results if r.profession not in best])

    def name(self, slug: str) -> str:
        return self.catalogue.knowledge.profession_name(slug)

    def display_name(self, slug: str) -> str:
        """The profession's name in the UI language (pages); `name` stays Danish for the API and the CLI."""
        return self.catalogue.display_name(slug)


BEST_TAKERS = 6  # what a leader can weigh at a glance; the rest stay one click away


def _grouped(results: list[Result]) -> list[tuple[Verdict, list[Result]]]:
    groups = [(v, [r for r in results if r.verdict is v]) for v in Verdict]
    return [(v, rs) for v, rs in groups if rs]


@dataclass(frozen=True)
class Difference:
    """Where the answer for a group differs from the one shown: in a setting and/or an organisation the context left
    open ("I psykiatrien (Region Midtjylland): må ikke – aftale")."""

    setting: str | None
    organisation: str | None
    profession: str
    result: Result

    @property
    def kinds(self) -> tuple[str, ...]:
        """legal / organisational: what the differing answer rests on (competence reasons left out)."""
        return tuple(dict.fromkeys(r.kind for r in self.result.reasons if r.kind != "competence"))


def differences(matrix: Matrix) -> list[Difference]:
    """The answers that differ in the settings and organisations the task's rules and provisions name, where the
    context leaves the setting (``Alle miljøer``) or the organisation open: a page showing all settings states
    them instead of hiding them. By setting, organisation, then the matrix's order of groups."""
    task, context, catalogue = matrix.task, matrix.context, matrix.catalogue
    settings = {r.setting for r in task.rules if r.setting} if context.setting is None else set()
    organisations = set()
    if context.organisation is None:
        organisations = {r.scope_organisation for r in task.rules if r.scope_organisation} | \
            {p.organisation for p in task.provisions if p.organisation}
    variants = {(s, None) for s in settings} | {(None, o) for o in organisations} | \
        {(r.setting, r.scope_organisation) for r in task.rules
         if r.setting in settings and r.scope_organisation in organisations}
    base = {r.profession: r for r in matrix.results}
    out = []
    for setting, organisation in sorted(variants, key=lambda v: (v[0] or "", v[1] or "")):
        ctx = make_context(setting or context.setting, context.complexity, context.on,
                           organisation or context.organisation)
        for r in who_may(task, catalogue.professions, ctx, catalogue.knowledge):
            shown = base.get(r.profession)
            if shown is not None and (r.verdict, r.fit) != (shown.verdict, shown.fit):
                out.append(Difference(setting, organisation, r.profession, r))
    order = {r.profession: n for n, r in enumerate(matrix.results)}
    out.sort(key=lambda d: (d.setting or "", d.organisation or "", order.get(d.profession, 0)))
    return out


def matrix_for(task: TaskFact, context: Context, catalogue: Catalogue | None = None) -> Matrix:
    catalogue = catalogue or load_catalogue()
    results = rank(who_may(task, catalogue.professions, context, catalogue.knowledge), catalogue.professions)
    return Matrix(task=task, results=results, context=context, catalogue=catalogue)


def matrix_by_slug(slug: str, context: Context) -> Matrix | None:
    task = load_task_fact(slug)
    return None if task is None else matrix_for(task, context)


@dataclass(frozen=True)
class Shiftable:
    """The tasks a group holds that others may take over (flytbare opgaver), ranked; explained a page at a time."""

    holder: str
    shortlist: tuple[Shortlisted, ...]
    context: Context
    catalogue: Catalogue

    @property
    def total(self) -> int:
        return len(self.shortlist)

    def page(self, offset: int = 0, limit: int | None = None) -> list[tuple[TaskFact, list[Result]]]:
        """Tasks ``offset`` … ``offset + limit`` with their takers' full results (all when ``limit`` is None)."""
        chosen = self.shortlist[offset:None if limit is None else offset + limit]
        return explain(chosen, self.catalogue.professions, self.context, self.catalogue.knowledge)

    def taker_counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per taker, how many of all the tasks it is shortlisted for (as a realistic taker), by fit (recommended,
        trainable); most tasks first, then name."""
        counts: dict[str, dict[str, int]] = {}
        for item in self.shortlist:
            for slug, _verdict, fit in item.takers:
                per = counts.setdefault(slug, {})
                per[fit] = per.get(fit, 0) + 1
        name = self.catalogue.knowledge.profession_name
        return sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), name(kv[0]), kv[0]))


def shiftable_for(profession_slug: str, context: Context, limit_takers: int = 5,
                  recommended_only: bool = False) -> Shiftable | None:
    """Tasks the group holds that another group can and may take over, each with its best realistic takers (only
    the recommended ones with ``recommended_only``); None if unknown slug.

    The ranked shortlist is kept per process and knowledge version (kb.knowledge_state): building it reads every
    task the group holds, which for nurses on a national catalogue is 16,000 tasks. After a publication that touches
    named tasks, the kept shortlist is brought up to date for those tasks only (kb.whomay.patches)."""
    catalogue = load_catalogue()
    holder = catalogue.profession(profession_slug)
    if holder is None:
        return None

    def ranked(tasks) -> list[Shortlisted]:
        return shortlist(holder, tasks, catalogue.professions, context, catalogue.knowledge, limit_takers, fits)

    def build() -> tuple[Shortlisted, ...]:
        return tuple(ranked(load_task_facts_held_by(profession_slug)))

    fits = ("recommended",) if recommended_only else ("recommended", "trainable")
    items = cached(db.session, kept_family("whomay.shortlist", context),
                   f"{profession_slug}|{context_key(context)}|{limit_takers}|{','.join(fits)}", build,
                   patch=lambda old, scope: patch_shortlist(old, scope, ranked))
    return Shiftable(holder=profession_slug, shortlist=items, context=context, catalogue=catalogue)


def takeover_for(profession_slug: str, context: Context):
    """Tasks other groups hold that this profession may take over, grouped by verdict (best first).

    Leaves out tasks the profession itself, its parent or a specialisation of it already holds (the shortlist's
    "related" rule, kb.rules.shortlist.related) and tasks it may not do. None for an unknown slug. Kept per process
    and knowledge version like the shortlist: it asks the engine about every published task."""
    catalogue = load_catalogue()
    profession = catalogue.profession(profession_slug)
    if profession is None:
        return None

    own = {p.slug for p in catalogue.professions if related(profession, p)}

    def judge(fact: TaskFact) -> Result | None:
        if fact.holders & own:
            return None
        result = who_may_one(fact, profession, context, catalogue.knowledge)
        return None if result.verdict is Verdict.NOT_ALLOWED else result

    def build():
        groups: dict[Verdict, list[tuple[TaskFact, Result]]] = {}
        for fact in load_task_facts(sa.true()):
            if (result := judge(fact)) is not None:
                groups.setdefault(result.verdict, []).append((fact, result))
        return takeover_groups(groups)

    return cached(db.session, kept_family("whomay.takeover", context), f"{profession_slug}|{context_key(context)}",
                  build, patch=lambda old, scope: patch_takeover(old, scope, judge))


def kept_family(name: str, context: Context) -> str:
    """The cache family for a value kept per context: today's, or its ".dated" twin (kb/caches.py), so walking dates
    never evicts today's answers."""
    return name if context.on == date.today() else f"{name}.dated"


def context_key(context: Context) -> str:
    """The part of a kept value's key that names its context."""
    return f"{context.setting}|{context.complexity}|{context.on.isoformat()}|{context.organisation}"


def verdicts_for(task_ids: list[int], profession_slug: str, context: Context) -> dict[int, Verdict] | None:
    """Each published task's verdict for one profession, of those among ``task_ids`` (the search page's verdict
    facet); None for an unknown profession. Every published task's verdict is kept per process and knowledge
    version, brought up to date for the tasks a publication touches (kb.whomay.patches): a common word matches
    thousands of tasks, and asking the engine about each on every search cost seconds on a national catalogue."""
    every = all_verdicts(profession_slug, context)
    return None if every is None else {i: every[i] for i in task_ids if i in every}


def all_verdicts(profession_slug: str, context: Context) -> Mapping[int, Verdict] | None:
    """Every published task's verdict for one profession, by task id; None for an unknown profession."""
    catalogue = load_catalogue()
    profession = catalogue.profession(profession_slug)
    if profession is None:
        return None

    def judge(facts: dict[int, TaskFact]) -> dict[int, Verdict]:
        return {i: who_may_one(f, profession, context, catalogue.knowledge).verdict for i, f in facts.items()}

    return cached(db.session, kept_family("whomay.verdicts", context), f"{profession_slug}|{context_key(context)}",
                  lambda: MappingProxyType(judge(load_task_facts_by_id(sa.true()))),
                  patch=lambda old, scope: patch_verdicts(old, scope, judge))


def results_for(pairs: list[tuple[int, str]], context: Context) -> list[Result | None]:
    """The engine's result for each (task id, taking profession slug): a plan's checklist (a plan keeps its items
    whatever becomes of their tasks' status). None where the task or the profession is gone."""
    catalogue = load_catalogue()
    ids = {task_id for task_id, _ in pairs}
    facts = load_task_facts_by_id(m.Task.id.in_(ids), published_only=False) if pairs else {}
    out: list[Result | None] = []
    for task_id, slug in pairs:
        fact, taker = facts.get(task_id), catalogue.profession(slug)
        out.append(None if fact is None or taker is None else who_may_one(fact, taker, context, catalogue.knowledge))
    return out


def verdict_table(facts: dict[str, TaskFact], catalogue: Catalogue,
                  contexts: set[tuple[str | None, str | None]]) -> dict[tuple, Verdict]:
    """(task, profession, setting, complexity) → verdict for every profession of ``catalogue`` in each (setting,
    complexity) context: the editing preview compares the table before and after a draft."""
    out = {}
    for setting, complexity in contexts:
        context = make_context(setting, complexity)
        for fact in facts.values():
            for result in who_may(fact, catalogue.professions, context, catalogue.knowledge):
                out[(fact.slug, result.profession, setting, complexity)] = result.verdict
    return out


def task_facts(slugs: set[str] | None) -> dict[str, TaskFact]:
    """Published tasks' facts by slug (all when ``slugs`` is None), read now: the preview reads them inside its
    savepoint, where the session's uncommitted changes bypass every cache."""
    where = sa.true() if slugs is None else m.Task.slug.in_(slugs)
    return {fact.slug: fact for fact in load_task_facts(where)}


@dataclass(frozen=True)
class ReservedTask:
    """A task reserved to the group (forbeholdt virksomhed) in the context, and what the engine says of the rest."""

    task: TaskFact
    reserving: tuple[ProvisionFact, ...]
    never: tuple[ProvisionFact, ...]
    delegable_to: tuple[str, ...]  # groups the engine lets do it as medhjælp here (by delegation from the group)
    by_law: tuple[str, ...]  # groups outside it that may do it themselves by særlig lovhjemmel (a legal allow)

    @property
    def delegable(self) -> bool:
        return bool(self.delegable_to)


def reserved_area(profession_slug: str, context: Context) -> tuple[ReservedTask, ...] | None:
    """The tasks the law reserves to the group in the context, by title, each with who else the engine lets do it;
    None for an unknown slug. Kept per process and knowledge version, and brought up to date for the tasks a
    publication touches: the nurses' reserved area on a national catalogue asks the engine about thousands of tasks
    for every profession (4 s), and every role description needs it."""
    catalogue = load_catalogue()
    profession = catalogue.profession(profession_slug)
    if profession is None:
        return None
    groups = [g for g in (profession.slug, profession.parent) if g]
    reserving_here = sa.select(task_provision.c.task_id).join(
        provision_reserved_to, provision_reserved_to.c.provision_id == task_provision.c.provision_id).join(
        m.Profession, m.Profession.id == provision_reserved_to.c.profession_id).where(m.Profession.slug.in_(groups))

    def entries(facts) -> list[ReservedTask]:
        out = []
        for fact in facts:
            found = reservation(fact, profession, context)
            if found is None:  # not in force on the date, not for this complexity, or another organisation's
                continue
            others = [p for p in catalogue.professions if not _member(p, found)]
            results = who_may(fact, others, context, catalogue.knowledge)
            out.append(ReservedTask(
                task=fact, reserving=found.reserving, never=found.never,
                delegable_to=tuple(r.profession for r in results if r.verdict.by_delegation),
                by_law=tuple(r.profession for r in results
                             if r.verdict in (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING))))
        return out

    def touched(scope) -> list[TaskFact]:
        return load_task_facts(m.Task.id.in_(reserving_here) & m.Task.slug.in_(sorted(scope.tasks))) \
            if scope.tasks else []

    return cached(db.session, kept_family("whomay.reserved", context), f"{profession_slug}|{context_key(context)}",
                  lambda: by_task_title(entries(load_task_facts(m.Task.id.in_(reserving_here)))),
                  patch=lambda old, scope: patch_entries(old, scope, lambda: entries(touched(scope))))


def _member(profession: ProfessionFact, found) -> bool:
    return any(profession.covers(g) for p in found.reserving for g in p.reserved_to)
