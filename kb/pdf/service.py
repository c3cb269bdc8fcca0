"""What the PDFs say, gathered from the same queries and engine calls as the pages.

A role description (funktionsbeskrivelse) is a document a leader can sign, 2–6 pages: purpose, legal basis (the
group's reserved area, or that it acts as medhjælp under BEK nr. 1219/2009), the tasks it holds, the take-overs it
can realistically do (kb.whomay.service.takeover_for, fit recommended or trainable) with conditions and training,
what is reserved to it and whether that can be delegated, its competences and offers, and blank fields for unit,
leader, date and signature. The full lists (every task held, every take-over by verdict, the law its reserved tasks
cite, the profession's description and sources) are only in the annex (``annex=True``, ``?bilag=1``). The task
sheet is kb/pdf/sheet.py; the plan PDF is kb.plans.service.summarise. Nothing here decides who may do what: the
reserved area and who else may do each of its tasks are kb.whomay.service.reserved_area's, the take-overs and their
fit takeover_for's; this module only gathers the records they name for print.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.catalogue import held, queries
from kb.extensions import db
from kb.models.enums import OPEN_REVISION_STATUSES
from kb.models.task import task_setting
from kb.plans.service import ItemCheck, PlanSummary
from kb.pdf import sheet
from kb.pdf.sheet import TaskSheet
from kb.rules import Context, Result, TaskFact, Verdict
from kb.whomay.service import ReservedTask, reserved_area, takeover_for

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


# The realistic take-overs the role description lists in full (the rest are in the annex): what fits on about two
# pages with their conditions and training, so the document stays within six.
TAKEOVER_SHOWN = 20
# Tasks held, per category, and reserved tasks the document lists (the most characteristic first); the annex has all.
HELD_SHOWN = 12
RESERVED_SHOWN = 15
# The annex prints a full list only up to this many rows (some 20 pages); a longer one — the nurses hold 16,000
# tasks at national size, and 364 reserved ones took 30 pages — is given as its count and the addresses of the
# CSV/XLSX lists instead (issue 20, part 4). The seed's longest lists (150 tasks held, 260 take-overs) print whole.
ANNEX_MAX = 300
# The document's other lists, capped for the same six pages (the annex has them whole): the seed's longest — the
# physicians' 15 reserving provisions, 47 competences, 11 offers — print whole; the nurses' 56, 199 and 24 at
# national size ran the document to nine pages.
RESERVING_SHOWN = 16
COMPETENCES_SHOWN = 60
OFFERS_SHOWN = 12
# Medhjælpsbekendtgørelsen (BEK nr. 1219 af 11/12/2009): what a group without a reserved area of its own acts under,
# and what a group with one delegates under.
MEDHJAELP_PROVISIONS = ("bek1219-delegation", "bek1219-instruks", "bek1219-pligter")
DELEGATING_PROVISIONS = ("bek1219-delegation", "bek1219-pligter")
REALISTIC_FITS = ("recommended", "trainable")


@dataclass
class RoleDescription:
    profession: m.Profession
    context: Context
    setting: m.Setting | None
    stamp: KnowledgeStamp
    drafts: int
    held_counts: list[tuple[str, int]]  # tasks held per category (in the setting)
    held_chosen: list[m.Task]  # per category the HELD_SHOWN that characterise the group (kb.catalogue.held)
    takeover: list[tuple[Verdict, list[tuple[TaskFact, Result]]]]
    reserved: list[ReservedRow]  # the reserved tasks printed: those shown, or in the annex all up to ANNEX_MAX
    reserving: list[m.Provision]
    competences: list[m.Competence]
    offers: list[m.Education]
    realistic: list[tuple[TaskFact, Result]] = field(default_factory=list)  # the first TAKEOVER_SHOWN, best first
    realistic_total: int = 0  # how many take-overs are realistic
    medhjaelp: list[m.Provision] = field(default_factory=list)  # BEK 1219: acting as, or delegating to, medhjælp
    annex: bool = False
    plan: PlanSummary | None = None
    plan_checks: list[ItemCheck] = field(default_factory=list)
    held_all: list[tuple[str, list[m.Task]]] | None = None  # the annex's full list; None when over ANNEX_MAX
    reserved_total: int = 0
    reserved_law: list[m.Provision] = field(default_factory=list)  # annex: what every reserved task cites
    exports: dict[str, str] = field(default_factory=dict)  # "tasks.csv", … → the list's absolute address

    @property
    def held_count(self) -> int:
        return sum(n for _, n in self.held_counts)

    @property
    def takeover_in_annex(self) -> bool:
        """The annex prints every take-over (else it gives the count and the lists' addresses)."""
        return self.takeover_count <= ANNEX_MAX

    @property
    def takeover_count(self) -> int:
        return sum(len(items) for _, items in self.takeover)

    @property
    def held_shown(self) -> list[tuple[str, list[m.Task], int]]:
        """Per category the tasks that characterise the group — held by the fewest other groups, chosen in SQL
        (kb.catalogue.held.characteristic) — up to HELD_SHOWN, by title, and how many more the full list has."""
        out = []
        for category, count in self.held_counts:
            shown = sorted((t for t in self.held_chosen if t.category == category), key=lambda t: t.title)
            out.append((category, shown, count - len(shown)))
        return out

    @property
    def reserved_shown(self) -> list[ReservedRow]:
        """The reserved tasks the document lists: those a medhjælp may be given first, then the rest, by title."""
        return sorted(self.reserved, key=lambda r: not r.delegable)[:RESERVED_SHOWN]

    @property
    def reserved_more(self) -> int:
        return max(0, self.reserved_total - RESERVED_SHOWN)

    @property
    def reserving_shown(self) -> list[m.Provision]:
        return self.reserving[:RESERVING_SHOWN]

    @property
    def reserving_more(self) -> int:
        return max(0, len(self.reserving) - RESERVING_SHOWN)

    @property
    def competences_shown(self) -> list[m.Competence]:
        return self.competences[:COMPETENCES_SHOWN]

    @property
    def competences_more(self) -> int:
        return max(0, len(self.competences) - COMPETENCES_SHOWN)

    @property
    def offers_shown(self) -> list[m.Education]:
        return self.offers[:OFFERS_SHOWN]

    @property
    def offers_more(self) -> int:
        return max(0, len(self.offers) - OFFERS_SHOWN)

    @property
    def reserved_in_annex(self) -> bool:
        return len(self.reserved) == self.reserved_total

    @property
    def realistic_shown(self) -> list[tuple[TaskFact, Result]]:
        return self.realistic[:TAKEOVER_SHOWN]

    @property
    def realistic_more(self) -> int:
        """Realistic take-overs beyond the ones listed (they are in the annex)."""
        return max(0, self.realistic_total - TAKEOVER_SHOWN)

    @property
    def not_realistic_count(self) -> int:
        """Take-overs the group may do but only after an education: in the annex, not in the document."""
        return self.takeover_count - self.realistic_total

    @property
    def own_reserved_area(self) -> bool:
        """The group (or the group it specialises) holds a reserved area: it delegates rather than acts as medhjælp."""
        return self.profession.authorised and bool(self.reserving)

    @property
    def legal_basis(self) -> list[m.Provision]:
        """The group's reserved area, then every provision its reserved tasks cite, each once."""
        seen: dict[int, m.Provision] = {p.id: p for p in self.reserving}
        for r in self.reserved:
            for p in (*r.reserving, *r.never):
                seen.setdefault(p.id, p)
        for p in self.reserved_law:  # the reserved tasks not printed (a list over ANNEX_MAX) cite these too
            seen.setdefault(p.id, p)
        return list(seen.values())


def realistic_first(takeover, count: int | None = None) -> tuple[list[tuple[TaskFact, Result]], int]:
    """The first ``count`` (all: None) take-overs the group can realistically do (fit recommended or trainable):
    recommended first, then on its own authority before by delegation, then the fewest training hours, then by
    title; and how many there are. Only the first are sorted: the nurses may take over 26,000 tasks nationally."""
    rank = {fit: n for n, fit in enumerate(REALISTIC_FITS)}
    items = [(t, r) for _, group in takeover for t, r in group if r.fit in rank]

    def key(tr):
        return rank[tr[1].fit], tr[1].legal != "independent", tr[1].training.hours or 0, tr[0].title

    first = sorted(items, key=key) if count is None else heapq.nsmallest(count, items, key=key)
    return first, len(items)


def provisions_by_slug(slugs) -> list[m.Provision]:
    found = {p.slug: p for p in db.session.scalars(sa.select(m.Provision).where(m.Provision.slug.in_(slugs))
                                                   .options(selectinload(m.Provision.act)))}
    return [found[s] for s in slugs if s in found]


def _groups(profession: m.Profession) -> list[m.Profession]:
    """The profession and, for a specialisation, its parent: a member of either holds the reserved area."""
    return [profession, *([profession.parent] if profession.parent else [])]


def reserved_entries(slug: str, context: Context, only: set[str] | None) -> list[ReservedTask]:
    """The engine's reserved area of the group (kb.whomay.service.reserved_area), limited to ``only`` (the setting's
    tasks): those a medhjælp may be given first, then the rest, each in the engine's order."""
    entries = [e for e in reserved_area(slug, context) or [] if only is None or e.task.slug in only]
    return sorted(entries, key=lambda e: not e.delegable)


def reserved_rows(entries: list[ReservedTask]) -> list[ReservedRow]:
    """The given reserved tasks with the task, provision and profession records the PDF prints (a bounded list: the
    caller takes what it prints)."""
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


def _offers(profession: m.Profession, items) -> list[m.Education]:
    """Offers aimed at the group, and those the given take-overs name for their training, each once."""
    named = {slug for _, r in items for slug, _ in r.training.offers} | {
        slug for _, r in items for mc in r.missing_competences for slug, _ in mc.educations}
    group_ids = [g.id for g in _groups(profession)]
    return list(db.session.scalars(sa.select(m.Education).where(sa.or_(
        m.Education.slug.in_(named), m.Education.target_professions.any(m.Profession.id.in_(group_ids))))
        .options(selectinload(m.Education.competences)).order_by(m.Education.name)))


def export_addresses(slug: str, context: Context) -> dict[str, str]:
    """The absolute addresses of the profession page's full lists (kb/catalogue/export.py) in this context: paper
    has no links, so the document prints them."""
    from flask import url_for

    args = {"setting": context.setting, "complexity": context.complexity, "organisation": context.organisation,
            "date": context.on.isoformat() if context.on != date.today() else None}
    args = {k: v for k, v in args.items() if v}
    return {f"{what}.{fmt}": url_for(f"catalogue.profession_{what}_{fmt}", slug=slug, _external=True, **args)
            for what in ("tasks", "takeover") for fmt in ("csv", "xlsx")}


def role_description(slug: str, context: Context, plan: PlanSummary | None = None,
                     annex: bool = False) -> RoleDescription | None:
    """Everything the funktionsbeskrivelse says, for one profession in one context; None for an unknown slug. With
    ``annex`` the document ends with the full lists (every task held and every take-over, by verdict)."""
    profession = queries.profession_by_slug(slug)
    if profession is None:
        return None
    setting = setting_by_slug(context.setting)
    setting_id = setting.id if setting else None
    only = tasks_in_setting(setting)
    # Counts and the few tasks the document names come from SQL; Task objects only for a bounded annex list.
    held_counts = held.category_counts(profession.id, setting_id=setting_id)
    full_held = None
    if annex and sum(n for _, n in held_counts) <= ANNEX_MAX:
        tasks = held.held_tasks(profession.id, setting_id)
        full_held = [(c, [t for t in tasks if t.category == c]) for c, _ in held_counts]
    takeover = [(v, [(t, r) for t, r in items if only is None or t.slug in only])
                for v, items in (takeover_for(slug, context) or [])]
    takeover = [(v, items) for v, items in takeover if items]
    realistic, realistic_total = realistic_first(takeover, TAKEOVER_SHOWN)
    competences = {c.slug: c for g in _groups(profession) for c in g.competences}
    reserving = {p.id: p for g in _groups(profession) for p in queries.reserving_provisions(g)}
    own_area = profession.authorised and bool(reserving)
    takeover_count = sum(len(items) for _, items in takeover)
    offered = ([tr for _, items in takeover for tr in items] if annex and takeover_count <= ANNEX_MAX
               else realistic[:TAKEOVER_SHOWN])
    entries = reserved_entries(slug, context, only)
    printed = entries if annex and len(entries) <= ANNEX_MAX else entries[:RESERVED_SHOWN]
    return RoleDescription(
        profession=profession, context=context, setting=setting, stamp=knowledge_stamp(),
        drafts=open_drafts("profession", slug), held_counts=held_counts,
        held_chosen=held.characteristic(profession.id, HELD_SHOWN, setting_id), held_all=full_held,
        takeover=takeover,
        reserved=reserved_rows(printed), reserved_total=len(entries), exports=export_addresses(slug, context),
        reserved_law=provisions_by_slug(list(dict.fromkeys(
            p.slug for e in entries for p in (*e.reserving, *e.never)))) if annex and printed != entries else [],
        reserving=list(reserving.values()),
        competences=sorted(competences.values(), key=lambda c: c.name), offers=_offers(profession, offered),
        realistic=realistic, realistic_total=realistic_total, medhjaelp=provisions_by_slug(DELEGATING_PROVISIONS if own_area else MEDHJAELP_PROVISIONS),
        annex=annex, plan=plan,
        plan_checks=[c for c in plan.checks if c.item.to_profession.slug == slug] if plan else [])


def task_sheet(slug: str, context: Context) -> TaskSheet | None:
    """The task sheet (kb/pdf/sheet.py): the realistic takers in full, the rest as a table, each reason once."""
    return sheet.build(slug, context, setting=setting_by_slug(context.setting), stamp=knowledge_stamp(),
                       drafts=open_drafts("task", slug))
