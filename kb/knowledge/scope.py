"""What a publication touched, for the values each server keeps (kb.knowledge_state.Scope; issue 20, part 3).

A task's engine facts (kb.whomay.task_facts) are the task itself, its rules and its provisions; the catalogue the
engine judges takers by (professions, competences, offers, the delegation provisions) is everything else. So a
published task, rule or ordinary provision touches named tasks, and anything else — a profession, competence,
education, act, one of the delegation provisions (BEK 1219, autorisationsloven § 73) — may touch every answer:
then the scope is unknown and every kept value is rebuilt.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from kb.knowledge_state import Scope
from kb.models.task import task_provision
from kb.whomay.facts import DELEGATION_PROVISION_SLUGS

TASK_SCOPED = ("task", "rule", "provision")

Record = tuple[str, Any, Optional[dict[str, Any]], dict[str, Any]]  # (kind, record, document before, after)


def scope_of(session: Session, records: Iterable[Record]) -> Scope | None:
    """The kinds and task slugs these published records touch, or None when they may touch every answer."""
    kinds: set[str] = set()
    tasks: set[str] = set()
    provisions: list[int] = []
    for kind, record, old, new in records:
        if old == new:
            continue  # loaded unchanged: nothing to bring up to date
        if kind not in TASK_SCOPED:
            return None
        kinds.add(kind)
        if kind == "task":
            tasks.add(record.slug)
        elif kind == "rule":  # the task it belongs to now, and the one it belonged to before
            tasks.update(s for s in (new.get("task"), (old or {}).get("task")) if s)
        elif record.slug in DELEGATION_PROVISION_SLUGS.values():
            return None
        else:
            provisions.append(record.id)
    if provisions:
        citing = sa.select(task_provision.c.task_id).where(task_provision.c.provision_id.in_(provisions))
        by_rule = sa.select(m.Rule.task_id).where(m.Rule.provision_id.in_(provisions))
        tasks.update(session.scalars(sa.select(m.Task.slug).where(sa.or_(m.Task.id.in_(citing),
                                                                         m.Task.id.in_(by_rule)))))
    return Scope(frozenset(kinds), frozenset(tasks))
