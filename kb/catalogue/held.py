"""The tasks a group holds, at national size (issue 20, part 4): counted by category, a page at a time, searched
within, the few that characterise the group, and every one streamed for export — all in SQL.

A nurse holds 16,000 of the benchmark's 50,000 tasks, so nothing here loads every held task as an ORM object: the
counts are one GROUP BY, a page is LIMIT/OFFSET over light rows, the export reads rows in chunks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb.catalogue.queries import _escape_like  # the search's own LIKE escaping: a typed % or _ is a character
from kb.extensions import db
from kb.knowledge_state import cached
from kb.models import Task
from kb.models.enums import TASK_CATEGORIES
from kb.models.task import task_holder, task_setting

SEARCH_MAX = 200  # characters of a search within the list that are used


@dataclass(frozen=True)
class HeldRow:
    """One held task as the list, the export and the API need it: no relationships to load."""

    id: int
    slug: str
    title: str
    title_en: str
    category: str
    others: int  # other groups that hold it today


def _held(stmt, profession_id: int, setting_id: int | None = None):
    """``stmt`` over the published tasks the group holds, read from task_holder by its profession index and joined
    to task (not ``task.id IN (…)``, which scans every task: 46 against 16 ms for the nurses' 16,000); in a setting
    only those that apply there (a task with no settings applies everywhere, as kb.pdf.service.tasks_in_setting)."""
    stmt = (stmt.select_from(task_holder).join(Task, Task.id == task_holder.c.task_id)
            .where(task_holder.c.profession_id == profession_id, Task.status == "published"))
    if setting_id is not None:
        in_setting = sa.select(task_setting.c.task_id).where(task_setting.c.setting_id == setting_id)
        anywhere = ~sa.exists().where(task_setting.c.task_id == Task.id)
        stmt = stmt.where(sa.or_(Task.id.in_(in_setting), anywhere))
    return stmt


def _others():
    """How many other groups hold the task: the correlated count of its holders, less this one."""
    th = task_holder.alias("other_holder")
    return (sa.select(sa.func.count()).select_from(th).where(th.c.task_id == Task.id)
            .scalar_subquery() - 1).label("others")


def _where(stmt, profession_id: int, category: str | None, q: str, setting_id: int | None):
    stmt = _held(stmt, profession_id, setting_id)
    if category:
        stmt = stmt.where(Task.category == category)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        # A plain case-insensitive match on the title (Danish or English), not the ranked search: the list keeps its
        # order and a title the planner half remembers is found.
        pattern = f"%{_escape_like(q)}%"
        stmt = stmt.where(sa.or_(Task.title.ilike(pattern, escape="\\"), Task.title_en.ilike(pattern, escape="\\")))
    return stmt


def category_counts(profession_id: int, q: str = "", setting_id: int | None = None) -> list[tuple[str, int]]:
    """(category, number held) in the catalogue's category order, leaving out empty categories. Without words,
    kept per knowledge version (every visit of the page and every role description asks; 15 ms for nurses)."""
    def count() -> tuple[tuple[str, int], ...]:
        found = dict(db.session.execute(_where(sa.select(Task.category, sa.func.count()), profession_id, None, q,
                                               setting_id).group_by(Task.category)).all())
        return tuple((c, found[c]) for c in TASK_CATEGORIES if found.get(c))

    if q:
        return list(count())
    return list(cached(db.session, "catalogue.held_counts", f"{profession_id}|{setting_id}", count))


def _rows(stmt) -> list[HeldRow]:
    return [HeldRow(*row) for row in db.session.execute(stmt).all()]


def _columns(ids):
    """The rows of the tasks ``ids`` (a subquery of at most a page): the holder count is computed for these only."""
    return (sa.select(Task.id, Task.slug, Task.title, Task.title_en, Task.category, _others())
            .where(Task.id.in_(sa.select(ids.c.id))).order_by(Task.category, Task.title, Task.id))


def held_count(profession_id: int, category: str | None = None, q: str = "", setting_id: int | None = None) -> int:
    return db.session.scalar(_where(sa.select(sa.func.count(Task.id)), profession_id, category, q, setting_id)) or 0


def held_rows(profession_id: int, category: str | None = None, q: str = "", limit: int = 50, offset: int = 0,
              setting_id: int | None = None) -> list[HeldRow]:
    """One page of the held tasks matching the filter, by category, then title; the first page of all of them —
    what most visits of the page show — kept per knowledge version."""
    def rows() -> tuple[HeldRow, ...]:
        ids = (_where(sa.select(Task.id), profession_id, category, q, setting_id)
               .order_by(Task.category, Task.title, Task.id).limit(limit).offset(offset).subquery())
        return tuple(_rows(_columns(ids)))

    if category or q or offset:
        return list(rows())
    return list(cached(db.session, "catalogue.held_first_page", f"{profession_id}|{setting_id}|{limit}", rows))


def held_page(profession_id: int, category: str | None = None, q: str = "", limit: int = 50, offset: int = 0,
              setting_id: int | None = None) -> tuple[list[HeldRow], int]:
    """One page of the held tasks matching the filter, and how many match in all."""
    return (held_rows(profession_id, category, q, limit, offset, setting_id),
            held_count(profession_id, category, q, setting_id))


def iter_held(profession_id: int, setting_id: int | None = None, chunk: int = 1000) -> Iterator[HeldRow]:
    """Every held task, by category and title, read ``chunk`` rows at a time (keyset paging: each query starts
    after the last row of the one before, so memory stays bounded and no OFFSET scan grows with the list)."""
    after: tuple[str, str, int] | None = None
    order = (Task.category, Task.title, Task.id)
    while True:
        stmt = _where(sa.select(Task.id), profession_id, None, "", setting_id)
        if after is not None:
            stmt = stmt.where(sa.tuple_(*order) > sa.tuple_(*after))
        rows = _rows(_columns(stmt.order_by(*order).limit(chunk).subquery()))
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1]
        after = (last.category, last.title, last.id)


def characteristic(profession_id: int, per_category: int, setting_id: int | None = None) -> list[Task]:
    """Per category the ``per_category`` tasks that characterise the group — those held by the fewest other
    groups, then by title — as Task objects (a few dozen), for the role description.

    Why fewest other holders: a role description says what this group does that others do not; a task every group
    holds (answer the phone) says nothing about the role, and the count is cheap (one window over the held rows),
    where "best evidence" would rank by the evidence tables, which most synthetic and many real tasks lack."""
    others = _others()
    rank = sa.func.row_number().over(partition_by=Task.category, order_by=(others, Task.title, Task.id)).label("rank")
    ranked = _where(sa.select(Task.id, rank), profession_id, None, "", setting_id).subquery()
    ids = sa.select(ranked.c.id).where(ranked.c.rank <= per_category)
    return list(db.session.scalars(sa.select(Task).where(Task.id.in_(ids)).order_by(Task.category, Task.title)).all())


def held_tasks(profession_id: int, setting_id: int | None = None) -> list[Task]:
    """Every held task as Task objects with their settings: only for a list known to be small (the role
    description's annex checks the count first)."""
    return list(db.session.scalars(
        _held(sa.select(Task), profession_id, setting_id)
        .options(selectinload(Task.settings), selectinload(Task.holders)).order_by(Task.category, Task.title)).all())


def setting_of(slug: str | None):
    """The Setting a context names (parse_context has checked that it exists), or None."""
    from kb.models import Setting

    return db.session.scalar(sa.select(Setting).where(Setting.slug == slug)) if slug else None
