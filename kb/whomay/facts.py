"""Database rows → the engine's plain facts, in a fixed number of queries however large the catalogue is."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.rules import (
    Context, EducationFact, Knowledge, ProfessionFact, ProvisionFact, Requirement, RuleFact, TaskFact,
)

# The general provisions the engine cites when it explains delegation and freedom to treat (seed slugs).
DELEGATION_PROVISION_SLUGS = {
    "delegation": "bek1219-delegation",
    "ramme_instruction": "bek1219-instruks",
    "duties": "bek1219-pligter",
    "unreserved": "aut-73",
}


def provision_fact(p: m.Provision) -> ProvisionFact:
    return ProvisionFact(
        slug=p.slug, act=p.act.short_name, ref=p.reference, title=p.title, url=p.url, effect=p.effect,
        reserved_to=frozenset(x.slug for x in p.reserved_to), kind=p.kind, valid_from=p.valid_from,
        valid_to=p.valid_to, verified=p.verified)


def _provision_loads(attr):
    return (selectinload(attr).selectinload(m.Provision.act), selectinload(attr).selectinload(m.Provision.reserved_to))


TASK_LOADS = (
    *_provision_loads(m.Task.provisions),
    selectinload(m.Task.requirements).selectinload(m.TaskRequirement.competence),
    selectinload(m.Task.holders),
    selectinload(m.Task.rules).selectinload(m.Rule.profession),
    selectinload(m.Task.rules).selectinload(m.Rule.setting),
    selectinload(m.Task.rules).selectinload(m.Rule.provision).selectinload(m.Provision.act),
    selectinload(m.Task.rules).selectinload(m.Rule.provision).selectinload(m.Provision.reserved_to),
)


def task_fact(t: m.Task) -> TaskFact:
    return TaskFact(
        slug=t.slug, title=t.title, category=t.category,
        provisions=tuple(provision_fact(p) for p in t.provisions),
        requirements=tuple(Requirement(r.competence.slug, r.level, r.complexity) for r in t.requirements),
        rules=tuple(RuleFact(slug=r.slug, profession=r.profession.slug, effect=r.effect, kind=r.kind,
                             provision=provision_fact(r.provision) if r.provision else None,
                             setting=r.setting.slug if r.setting else None, complexity=r.complexity,
                             conditions=tuple(r.conditions), note=r.note) for r in t.rules),
        holders=frozenset(h.slug for h in t.holders))


@dataclass(frozen=True)
class Catalogue:
    """Everything a verdict needs besides the task: professions and shared knowledge."""

    professions: tuple[ProfessionFact, ...]
    knowledge: Knowledge
    names_en: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → slug → English name

    def profession(self, slug: str) -> ProfessionFact | None:
        return next((p for p in self.professions if p.slug == slug), None)

    def display(self, kind: str, slug: str, danish: str) -> str:
        """The English name of a profession/competence/education when the UI is English and one is known."""
        from kb.i18n import english

        return (english() and self.names_en.get(kind, {}).get(slug)) or danish

    def display_name(self, slug: str) -> str:
        """A profession's name in the UI language (the engine's names are Danish)."""
        return self.display("profession", slug, self.knowledge.profession_name(slug))


def load_catalogue() -> Catalogue:
    rows = db.session.scalars(sa.select(m.Profession).options(
        selectinload(m.Profession.competences), selectinload(m.Profession.parent))).all()
    by_id = {p.id: p for p in rows}

    def competences(p: m.Profession) -> frozenset[str]:
        # A specialisation holds what its parent's basic education gives, plus its own.
        own = {c.slug for c in p.competences}
        parent = by_id.get(p.parent_id) if p.parent_id else None
        return frozenset(own | ({c.slug for c in parent.competences} if parent else set()))

    professions = tuple(
        ProfessionFact(slug=p.slug, name=p.name, parent=p.parent.slug if p.parent else None,
                       competences=competences(p), shortage_level=p.shortage_level,
                       education_level=p.education_level)
        for p in sorted(rows, key=lambda r: r.slug))
    educations = db.session.scalars(sa.select(m.Education).options(
        selectinload(m.Education.competences), selectinload(m.Education.target_professions))).all()
    delegation = db.session.scalars(
        sa.select(m.Provision).where(m.Provision.slug.in_(DELEGATION_PROVISION_SLUGS.values()))
        .options(selectinload(m.Provision.act), selectinload(m.Provision.reserved_to))).all()
    by_slug = {p.slug: provision_fact(p) for p in delegation}
    competence_rows = db.session.execute(sa.select(m.Competence.slug, m.Competence.name, m.Competence.name_en)).all()
    knowledge = Knowledge(
        competence_names={slug: name for slug, name, _ in competence_rows},
        educations=tuple(EducationFact(slug=e.slug, name=e.name, competences=frozenset(c.slug for c in e.competences),
                                       target_professions=frozenset(x.slug for x in e.target_professions))
                         for e in educations),
        profession_names={p.slug: p.name for p in rows},
        delegation_provisions={role: by_slug[s] for role, s in DELEGATION_PROVISION_SLUGS.items() if s in by_slug},
    )
    names_en = {"profession": {p.slug: p.name_en for p in rows if p.name_en},
                "competence": {slug: en for slug, _, en in competence_rows if en},
                "education": {e.slug: e.name_en for e in educations if e.name_en}}
    return Catalogue(professions=professions, knowledge=knowledge, names_en=names_en)


def load_task(slug: str) -> m.Task | None:
    return db.session.scalar(
        sa.select(m.Task).where(m.Task.slug == slug, m.Task.status == "published").options(*TASK_LOADS))


def load_tasks_held_by(profession_slug: str) -> list[m.Task]:
    return list(db.session.scalars(
        sa.select(m.Task).join(m.Task.holders).where(m.Profession.slug == profession_slug,
                                                      m.Task.status == "published")
        .options(*TASK_LOADS).order_by(m.Task.title)).unique().all())


def make_context(setting: str | None = None, complexity: str | None = None, on: date | None = None) -> Context:
    return Context(setting=setting or None, complexity=complexity or None, on=on or date.today())
