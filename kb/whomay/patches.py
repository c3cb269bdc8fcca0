"""Kept answers brought up to date after a publication, for the tasks it touched only (issue 20, part 3).

Why: after any change, the nurses' shortlist on a national catalogue took 3–4 s to build again (16,000 tasks read
and ranked), and the tasks they may take over asked the engine about all 50,000 — for one corrected task. A
publication that touches named tasks (kb.knowledge.scope: tasks, rules, ordinary provisions) leaves every other
task's answer as it was, so the kept value loses the touched tasks' entries and gains their new ones, worked out
by the same functions the full build uses. Anything wider has no scope, and the value is built afresh
(kb.knowledge_state.cached). tests/integration/test_kept_answers.py holds each patched value equal to a fresh build.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from types import MappingProxyType

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.knowledge_state import Scope
from kb.rules import Result, Shortlisted, TaskFact, Verdict
from kb.whomay.task_facts import load_task_facts, load_task_facts_by_id

# The kinds after which the catalogue the takers are judged by is the one the kept value was built with.
TASK_SCOPED = ("task", "rule", "provision")

Takeover = tuple[tuple[Verdict, tuple[tuple[TaskFact, Result], ...]], ...]


def by_title(fact: TaskFact) -> tuple[str, str]:
    return fact.title, fact.slug


def shortlist_order(item: Shortlisted) -> tuple:
    return item.order, item.task.title, item.task.slug


def changed_facts(scope: Scope) -> list[TaskFact]:
    """The touched tasks as they are now (published ones only: a task back in draft just leaves)."""
    return load_task_facts(m.Task.slug.in_(sorted(scope.tasks))) if scope.tasks else []


def patch_shortlist(old: tuple[Shortlisted, ...], scope: Scope,
                    rebuild: Callable[[list[TaskFact]], list[Shortlisted]]) -> tuple[Shortlisted, ...] | None:
    """``old`` without the touched tasks, plus ``rebuild(their facts now)``, in the shortlist's order; None when the
    change reaches beyond named tasks."""
    if not scope.within(*TASK_SCOPED):
        return None
    kept = [item for item in old if item.task.slug not in scope.tasks]
    return tuple(sorted(kept + rebuild(changed_facts(scope)), key=shortlist_order))


def patch_takeover(old: Takeover, scope: Scope,
                   judge: Callable[[TaskFact], Result | None]) -> Takeover | None:
    """The tasks a group may take over, by verdict, with the touched tasks judged again (``judge`` gives None for a
    task left out: the group's own or not allowed); None when the change reaches beyond named tasks."""
    if not scope.within(*TASK_SCOPED):
        return None
    touched = scope.tasks
    groups: dict[Verdict, list[tuple[TaskFact, Result]]] = {
        v: [tr for tr in items if tr[0].slug not in touched] if touched else list(items) for v, items in old}
    for fact in changed_facts(scope):
        result = judge(fact)
        if result is not None:  # into its place: the kept groups are in order already (no sort of 29,000 again)
            bisect.insort(groups.setdefault(result.verdict, []), (fact, result), key=lambda tr: by_title(tr[0]))
    return tuple((v, tuple(groups[v])) for v in Verdict if v is not Verdict.NOT_ALLOWED and groups.get(v))


def takeover_groups(groups: dict[Verdict, list[tuple[TaskFact, Result]]]) -> Takeover:
    """In the verdicts' order, each group by title and slug (sorted here, not by the database: PostgreSQL's
    collation and Python's would order a patched list and a built one differently)."""
    return tuple((v, tuple(sorted(groups[v], key=lambda tr: by_title(tr[0])))) for v in Verdict
                 if v is not Verdict.NOT_ALLOWED and groups.get(v))


def patch_verdicts(old: Mapping[int, Verdict], scope: Scope,
                   judge: Callable[[dict[int, TaskFact]], dict[int, Verdict]]) -> Mapping[int, Verdict] | None:
    """Every published task's verdict for one group, with the touched tasks judged again (a task no longer
    published leaves); None when the change reaches beyond named tasks."""
    if not scope.within(*TASK_SCOPED):
        return None
    touched = set(db.session.scalars(sa.select(m.Task.id).where(m.Task.slug.in_(sorted(scope.tasks))))) \
        if scope.tasks else set()
    kept = {i: v for i, v in old.items() if i not in touched}
    if touched:
        kept.update(judge(load_task_facts_by_id(m.Task.id.in_(sorted(touched)))))
    return MappingProxyType(kept)


def by_task_title(entries) -> tuple:
    """Entries with a ``task`` fact, by its title and slug (in Python, as takeover_groups sorts)."""
    return tuple(sorted(entries, key=lambda e: by_title(e.task)))


def patch_entries(old: tuple, scope: Scope, redo: Callable[[], list]) -> tuple | None:
    """Entries with a ``task`` fact (the reserved area): the touched tasks' dropped, ``redo()``'s added, by title;
    None when the change reaches beyond named tasks."""
    if not scope.within(*TASK_SCOPED):
        return None
    return by_task_title([e for e in old if e.task.slug not in scope.tasks] + redo())
