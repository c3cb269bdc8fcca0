"""Queries for the provision, competence and education pages."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.models.education import education_competence
from kb.models.profession import ProfessionCompetence
from kb.models.task import task_provision


_PROVISION_LOADS = (selectinload(m.Provision.act), selectinload(m.Provision.reserved_to),
                    selectinload(m.Provision.organisation))


def provision(slug: str) -> m.Provision | None:
    return db.session.scalar(sa.select(m.Provision).where(m.Provision.slug == slug).options(*_PROVISION_LOADS))


def provision_list(act: str | None = None, verified: bool | None = None, effect: str | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[m.Provision], int]:
    """Provisions by act and then as the act lists them, filtered; one page and the total."""
    where = []
    if act is not None:
        where.append(m.LegalAct.slug == act)
    if verified is not None:
        where.append(m.Provision.verified.is_(verified))
    if effect is not None:
        where.append(m.Provision.effect == effect)
    base = sa.select(m.Provision).join(m.Provision.act).where(*where)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    items = db.session.scalars(base.options(*_PROVISION_LOADS).order_by(m.LegalAct.short_name, m.Provision.id)
                               .limit(limit).offset(offset)).all()
    return list(items), total


def tasks_governed_by(p: m.Provision) -> list[m.Task]:
    return list(db.session.scalars(
        sa.select(m.Task).join(task_provision, task_provision.c.task_id == m.Task.id)
        .where(task_provision.c.provision_id == p.id, m.Task.status == "published").order_by(m.Task.title)))


def rules_citing(p: m.Provision) -> list[m.Rule]:
    """The rules citing the provision, of published tasks only (a draft task is not public)."""
    return list(db.session.scalars(sa.select(m.Rule).join(m.Task, m.Task.id == m.Rule.task_id).where(
        m.Rule.provision_id == p.id, m.Task.status == "published").options(
        selectinload(m.Rule.task), selectinload(m.Rule.profession), selectinload(m.Rule.exceptions),
        selectinload(m.Rule.organisation)).order_by(m.Rule.slug)))


def competences() -> list[m.Competence]:
    return list(db.session.scalars(sa.select(m.Competence).order_by(m.Competence.name)))


def competence(slug: str):
    """The competence, the tasks that need it, the professions whose education gives it, and the offers."""
    c = db.session.scalar(sa.select(m.Competence).where(m.Competence.slug == slug))
    if c is None:
        return None
    requirements = db.session.scalars(
        sa.select(m.TaskRequirement).where(m.TaskRequirement.competence_id == c.id)
        .options(selectinload(m.TaskRequirement.task)).join(m.Task).where(m.Task.status == "published")
        .order_by(m.Task.title)).all()
    professions = db.session.scalars(
        sa.select(m.Profession).join(ProfessionCompetence, ProfessionCompetence.profession_id == m.Profession.id)
        .where(ProfessionCompetence.competence_id == c.id).order_by(m.Profession.name)).all()
    educations = db.session.scalars(
        sa.select(m.Education).join(education_competence, education_competence.c.education_id == m.Education.id)
        .where(education_competence.c.competence_id == c.id).order_by(m.Education.name)).all()
    return c, requirements, professions, educations


def educations() -> list[m.Education]:
    return list(db.session.scalars(sa.select(m.Education).options(
        selectinload(m.Education.target_professions)).order_by(m.Education.name)))


def education(slug: str) -> m.Education | None:
    return db.session.scalar(sa.select(m.Education).where(m.Education.slug == slug).options(
        selectinload(m.Education.competences), selectinload(m.Education.target_professions),
        selectinload(m.Education.citations).selectinload(m.SourceCitation.document),
        selectinload(m.Education.citations).selectinload(m.SourceCitation.provision)
        .selectinload(m.Provision.act)))
