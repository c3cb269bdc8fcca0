"""Read queries shared by the pages and the API, with eager loading so a page costs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb.extensions import db
from kb.models import (
    Competence, Education, Evidence, LegalAct, Profession, ProfessionShortage, Provision, Rule, Setting,
    SourceCitation, SourceDocument, Task,
    TaskRequirement,
)
from kb.models.task import task_holder, task_setting


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    category: str | None = None
    setting: str | None = None
    holder: str | None = None
    limit: int = 50
    offset: int = 0


def _citation_loads(attr):
    return (selectinload(attr).selectinload(SourceCitation.document),
            selectinload(attr).selectinload(SourceCitation.provision).selectinload(Provision.act))


def counts() -> dict[str, int]:
    def n(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    by_category = dict(db.session.execute(
        sa.select(Task.category, sa.func.count()).where(Task.status == "published").group_by(Task.category)).all())
    return {
        "tasks": sum(by_category.values()), "professions": n(Profession), "competences": n(Competence),
        "educations": n(Education), "provisions": n(Provision), "rules": n(Rule),
        **{f"category_{k}": v for k, v in by_category.items()},
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def task_list(f: TaskFilter) -> tuple[list[Task], int]:
    """Published tasks matching the filter, best match first when q is given, else alphabetical."""
    stmt = sa.select(Task).where(Task.status == "published")
    if f.category:
        stmt = stmt.where(Task.category == f.category)
    if f.setting:
        stmt = stmt.where(Task.id.in_(
            sa.select(task_setting.c.task_id).join(Setting, Setting.id == task_setting.c.setting_id)
            .where(Setting.slug == f.setting)))
    if f.holder:
        stmt = stmt.where(Task.id.in_(
            sa.select(task_holder.c.task_id).join(Profession, Profession.id == task_holder.c.profession_id)
            .where(Profession.slug == f.holder)))
    order = [Task.title]
    if f.q:
        # Danish search (kb.search): best match first; the same filters are applied inside the search.
        from kb.search.query import search_tasks

        ids, total = search_tasks(f.q, category=f.category, setting=f.setting, holder=f.holder, limit=f.limit,
                                  offset=f.offset)
        found = {t.id: t for t in db.session.scalars(stmt.where(Task.id.in_(ids)).options(
            selectinload(Task.holders), selectinload(Task.settings))).all()} if ids else {}
        return [found[i] for i in ids if i in found], total
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    items = db.session.scalars(
        stmt.options(selectinload(Task.holders), selectinload(Task.settings))
        .order_by(*order).limit(f.limit).offset(f.offset)).all()
    return list(items), total


def task_by_slug(slug: str) -> Task | None:
    stmt = sa.select(Task).where(Task.slug == slug).options(
        selectinload(Task.holders), selectinload(Task.settings), selectinload(Task.terms),
        selectinload(Task.requirements).selectinload(TaskRequirement.competence),
        selectinload(Task.provisions).selectinload(Provision.act),
        selectinload(Task.provisions).selectinload(Provision.reserved_to),
        *_citation_loads(Task.citations),
        selectinload(Task.evidence).selectinload(Evidence.taker),
        selectinload(Task.evidence).selectinload(Evidence.from_profession),
        selectinload(Task.evidence).selectinload(Evidence.citations).selectinload(SourceCitation.document),
        selectinload(Task.rules).selectinload(Rule.profession),
        selectinload(Task.rules).selectinload(Rule.exceptions),
        selectinload(Task.rules).selectinload(Rule.organisation),
        selectinload(Task.rules).selectinload(Rule.provision).selectinload(Provision.act),
        selectinload(Task.rules).selectinload(Rule.setting),
    )
    return db.session.scalar(stmt)


def task_rules(slug: str) -> list[Rule]:
    """A task's rules with profession and setting (the editors' links on its page), by slug."""
    return list(db.session.scalars(
        sa.select(Rule).join(Task, Task.id == Rule.task_id).where(Task.slug == slug)
        .options(selectinload(Rule.profession), selectinload(Rule.exceptions), selectinload(Rule.setting))
        .order_by(Rule.slug)).all())


def profession_list() -> list[Profession]:
    return list(db.session.scalars(
        sa.select(Profession).options(selectinload(Profession.parent)).order_by(Profession.name)).all())


def profession_by_slug(slug: str) -> Profession | None:
    stmt = sa.select(Profession).where(Profession.slug == slug).options(
        selectinload(Profession.parent), selectinload(Profession.specialisations), selectinload(Profession.settings),
        selectinload(Profession.competences),
        selectinload(Profession.shortages).selectinload(ProfessionShortage.citations)
        .selectinload(SourceCitation.document),
        *_citation_loads(Profession.citations),
    )
    return db.session.scalar(stmt)


def tasks_held_by(profession: Profession) -> list[Task]:
    return list(db.session.scalars(
        sa.select(Task).join(task_holder, task_holder.c.task_id == Task.id)
        .where(task_holder.c.profession_id == profession.id, Task.status == "published")
        .options(selectinload(Task.settings), selectinload(Task.holders))
        .order_by(Task.category, Task.title)).all())


def reserving_provisions(profession: Profession) -> list[Provision]:
    """Provisions that reserve tasks to this group (its forbeholdte virksomhedsområde)."""
    return list(db.session.scalars(
        sa.select(Provision).join(Provision.reserved_to).where(Profession.id == profession.id)
        .options(selectinload(Provision.act), selectinload(Provision.reserved_to)).order_by(Provision.slug)).all())


def legal_acts() -> list[LegalAct]:
    return list(db.session.scalars(
        sa.select(LegalAct).options(selectinload(LegalAct.provisions)).order_by(LegalAct.kind, LegalAct.short_name)))


def source_document(slug: str) -> SourceDocument | None:
    return db.session.scalar(sa.select(SourceDocument).where(SourceDocument.slug == slug))


def source_lines(document: SourceDocument, first: int, last: int) -> list[tuple[int, str]] | None:
    """Lines first..last of the report in KB_SHARED_DIR/seeds, or None when the reports are not at hand."""
    from itertools import islice
    from pathlib import Path

    from flask import current_app

    path = Path(current_app.config["KB_SHARED_DIR"]) / "seeds" / Path(document.file).name
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return [(first + i, line.rstrip("\n")) for i, line in enumerate(islice(fh, first - 1, last))]


def settings() -> list[Setting]:
    return list(db.session.scalars(sa.select(Setting).order_by(Setting.name)))
