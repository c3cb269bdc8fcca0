"""What the PDFs say, gathered from the same queries and engine calls as the pages.

A role description (funktionsbeskrivelse) is the profession page turned into a document: what the group holds, what
it may take over (kb.whomay.service.takeover_for), what is reserved to it by law and whether that can be delegated,
its competences and the offers that give more, its legal basis and sources. The task sheet is the task page's
who-may matrix; the plan PDF is kb.plans.service.summarise. Nothing here decides who may do what: the reserved
area and who else may do each of its tasks are kb.whomay.service.reserved_area's; this module only gathers the
records they name for print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.catalogue import queries
from kb.extensions import db
from kb.models.enums import OPEN_REVISION_STATUSES, TASK_CATEGORIES
from kb.models.task import task_setting
from kb.plans.service import ItemCheck, PlanSummary
from kb.rules import Context, Result, TaskFact, Verdict
from kb.whomay.service import Matrix, ReservedTask, matrix_by_slug, reserved_area, takeover_for

# Audit actions that change the published knowledge; their count and latest time stamp a document's version.
KNOWLEDGE_ACTIONS = ("seed", "publish", "import")


@dataclass(frozen=True)
class KnowledgeStamp:
    """Version of the knowledge a document was made from: the number of loads/publications and the latest one."""

    changes: int
    at: datetime | None

    @property
    def label(self) -> str:
        when = self.at.strftime("%Y-%m-%d %H:%M") if self.at else "—"
        return f"v{self.changes} · {when} UTC"


def knowledge_stamp() -> KnowledgeStamp:
    changes, at = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(m.AuditEvent.at))
        .where(m.AuditEvent.action.in_(KNOWLEDGE_ACTIONS))).one()
    return KnowledgeStamp(changes or 0, at)


def open_drafts(kind: str, slug: str) -> int:
    """Drafts not yet published for this record: the document shows published knowledge only, and says so."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(m.Revision).where(
        m.Revision.entity_type == kind, m.Revision.entity_slug == slug,
        m.Revision.status.in_(OPEN_REVISION_STATUSES))) or 0


def setting_by_slug(slug: str | None) -> m.Setting | None:
    return db.session.scalar(sa.select(m.Setting).where(m.Setting.slug == slug)) if slug else None


def tasks_in_setting(setting: m.Setting | None) -> set[str] | None:
    """Slugs of published tasks that apply in the setting (a task with no settings applies everywhere); None: all."""
    if setting is None:
        return None
    in_setting = sa.select(task_setting.c.task_id).where(task_setting.c.setting_id == setting.id)
    anywhere = ~sa.exists().where(task_setting.c.task_id == m.Task.id)
    return set(db.session.scalars(sa.select(m.Task.slug).where(
        m.Task.status == "published", sa.or_(m.Task.id.in_(in_setting), anywhere))))


@dataclass(frozen=True)
class ReservedRow:
    """One reserved task for print: the engine's answer (kb.whomay.service.ReservedTask) with the records it names."""

    task: m.Task
    entry: ReservedTask
    reserving: list[m.Provision]
    never: list[m.Provision]
    by_law: list[m.Profession]

    @property
    def delegable(self) -> bool:
        return self.entry.delegable


@dataclass
class RoleDescription:
    profession: m.Profession
    context: Context
    setting: m.Setting | None
    stamp: KnowledgeStamp
    drafts: int
    held: list[tuple[str, list[m.Task]]]
    takeover: list[tuple[Verdict, list[tuple[TaskFact, Result]]]]
    reserved: list[ReservedRow]
    reserving: list[m.Provision]
    competences: list[m.Competence]
    offers: list[m.Education]
    plan: PlanSummary | None = None
    plan_checks: list[ItemCheck] = field(default_factory=list)

    @property
    def held_count(self) -> int:
        return sum(len(tasks) for _, tasks in self.held)

    @property
    def takeover_count(self) -> int:
        return sum(len(items) for _, items in self.takeover)

    @property
    def legal_basis(self) -> list[m.Provision]:
        """The group's reserved area, then every provision its reserved tasks cite, each once."""
        seen: dict[int, m.Provision] = {p.id: p for p in self.reserving}
        for r in self.reserved:
            for p in (*r.reserving, *r.never):
                seen.setdefault(p.id, p)
        return list(seen.values())


def _groups(profession: m.Profession) -> list[m.Profession]:
    """The profession and, for a specialisation, its parent: a member of either holds the reserved area."""
    return [profession, *([profession.parent] if profession.parent else [])]


def reserved_rows(slug: str, context: Context, only: set[str] | None) -> list[ReservedRow]:
    """The engine's reserved area of the group (kb.whomay.service.reserved_area), limited to ``only`` (the setting's
    tasks), with the task, provision and profession records the PDF prints."""
    entries = [e for e in reserved_area(slug, context) or [] if only is None or e.task.slug in only]
    if not entries:
        return []
    tasks = {t.slug: t for t in db.session.scalars(sa.select(m.Task).where(
        m.Task.slug.in_({e.task.slug for e in entries})))}
    provisions = {p.slug: p for p in db.session.scalars(sa.select(m.Provision).where(m.Provision.slug.in_(
        {p.slug for e in entries for p in (*e.reserving, *e.never)})).options(
        selectinload(m.Provision.act), selectinload(m.Provision.reserved_to), selectinload(m.Provision.organisation)))}
    professions = {p.slug: p for p in db.session.scalars(sa.select(m.Profession).where(
        m.Profession.slug.in_({s for e in entries for s in e.by_law})))}
    return [ReservedRow(task=tasks[e.task.slug], entry=e, reserving=[provisions[p.slug] for p in e.reserving],
                        never=[provisions[p.slug] for p in e.never], by_law=[professions[s] for s in e.by_law])
            for e in entries]


def _offers(profession: m.Profession, takeover) -> list[m.Education]:
    """Offers aimed at the group, and those the take-over list names for training, each once."""
    named = {slug for _, items in takeover for _, r in items for mc in r.missing_competences
             for slug, _ in mc.educations}
    group_ids = [g.id for g in _groups(profession)]
    return list(db.session.scalars(sa.select(m.Education).where(sa.or_(
        m.Education.slug.in_(named), m.Education.target_professions.any(m.Profession.id.in_(group_ids))))
        .options(selectinload(m.Education.competences)).order_by(m.Education.name)))


def role_description(slug: str, context: Context, plan: PlanSummary | None = None) -> RoleDescription | None:
    """Everything the funktionsbeskrivelse says, for one profession in one context; None for an unknown slug."""
    profession = queries.profession_by_slug(slug)
    if profession is None:
        return None
    setting = setting_by_slug(context.setting)
    only = tasks_in_setting(setting)
    held_tasks = [t for t in queries.tasks_held_by(profession) if only is None or t.slug in only]
    held = [(c, [t for t in held_tasks if t.category == c]) for c in TASK_CATEGORIES]
    takeover = [(v, [(t, r) for t, r in items if only is None or t.slug in only])
                for v, items in (takeover_for(slug, context) or [])]
    takeover = [(v, items) for v, items in takeover if items]
    competences = {c.slug: c for g in _groups(profession) for c in g.competences}
    reserving = {p.id: p for g in _groups(profession) for p in queries.reserving_provisions(g)}
    return RoleDescription(
        profession=profession, context=context, setting=setting, stamp=knowledge_stamp(),
        drafts=open_drafts("profession", slug), held=[(c, ts) for c, ts in held if ts], takeover=takeover,
        reserved=reserved_rows(slug, context, only), reserving=list(reserving.values()),
        competences=sorted(competences.values(), key=lambda c: c.name), offers=_offers(profession, takeover),
        plan=plan, plan_checks=[c for c in plan.checks if c.item.to_profession.slug == slug] if plan else [])


@dataclass
class TaskSheet:
    task: m.Task
    matrix: Matrix
    setting: m.Setting | None
    stamp: KnowledgeStamp
    drafts: int


def task_sheet(slug: str, context: Context) -> TaskSheet | None:
    """The task page's content for print: the who-may matrix in the context, requirements, law and sources."""
    task = queries.task_by_slug(slug)
    if task is None or task.status != "published":
        return None
    return TaskSheet(task=task, matrix=matrix_by_slug(slug, context), setting=setting_by_slug(context.setting),
                     stamp=knowledge_stamp(), drafts=open_drafts("task", slug))
