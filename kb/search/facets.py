"""What a search finds, with its facets: category, setting, current holder, and the verdict for a chosen profession
(asked of the engine through kb.whomay.service). The search page (kb/search/routes.py) only reads the request
and renders."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Collection, Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.models.task import task_holder, task_setting
from kb.rules import Verdict
from kb.search.query import search_all, search_tasks
from kb.whomay.facts import make_context
from kb.whomay.service import verdicts_for

FACETS = ("category", "setting", "holder", "verdict")


@dataclass
class Found:
    shown: list[int] = field(default_factory=list)  # task ids passing every chosen facet, best match first
    counts: dict[str, Counter] = field(default_factory=dict)  # per facet, counts among tasks passing the others
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # task id → the chosen profession's verdict
    profession: Optional[str] = None  # the chosen profession, None when unknown
    others: dict = field(default_factory=dict)  # professions, competences, provisions … matching the words


def find(q: str, chosen: dict[str, Optional[str]], profession: Optional[str], complete: bool) -> Found:
    """The tasks matching ``q`` under the chosen facets. ``chosen["verdict"]`` is dropped when no profession's
    verdicts are known (the facet needs the engine's answer for every match)."""
    task_ids: list[int] = []
    values: dict[int, dict[str, Collection[str]]] = {}
    others: dict = {}
    verdicts = None
    if q:
        ids, _ = search_tasks(q, limit=None, complete=complete)
        values = _facet_values(ids)
        task_ids = [i for i in ids if i in values]
        if profession:
            verdicts = verdicts_for(task_ids, profession, make_context(chosen["setting"]))
            if verdicts is None:
                profession = None
            else:
                task_ids = [i for i in task_ids if i in verdicts]
                for i in task_ids:
                    values[i]["verdict"] = {verdicts[i].value}
        others = search_all(q, limit=5, complete=complete)
    if not verdicts:
        chosen["verdict"] = None
    shown, counts = _facets(task_ids, values, chosen)
    return Found(shown=shown, counts=counts, verdicts=verdicts or {}, profession=profession, others=others)


def _facet_values(ids: list[int]) -> dict[int, dict[str, Collection[str]]]:
    """Category, settings and holders of each task by column queries. A common word matches thousands of tasks;
    building a Task object (with its collections) for each only to count facets cost most of the page's time on a
    national-size catalogue (docs/benchmark.md). Only the page's own tasks are loaded as objects."""
    if not ids:
        return {}
    values = {i: {"category": (c,)} for i, c in db.session.execute(
        sa.select(m.Task.id, m.Task.category).where(m.Task.id.in_(ids)))}
    for facet, link, model, column in (("setting", task_setting, m.Setting, "setting_id"),
                                       ("holder", task_holder, m.Profession, "profession_id")):
        for task_id, slug in db.session.execute(sa.select(link.c.task_id, model.slug).join(
                model, model.id == link.c[column]).where(link.c.task_id.in_(ids))):
            values[task_id].setdefault(facet, set()).add(slug)
    return values


def _facets(ids: list[int], values, chosen) -> tuple[list[int], dict[str, Counter]]:
    """Ids of tasks passing every chosen facet, and per facet the counts among tasks passing the *other* facets."""
    def passes(i, skip=None) -> bool:
        return all(v in values[i].get(f, ()) for f, v in chosen.items() if v and f != skip)

    counts = {f: Counter(x for i in ids if passes(i, f) for x in values[i].get(f, ())) for f in FACETS}
    return [i for i in ids if passes(i)], counts


def page_tasks(ids: list[int]) -> list[m.Task]:
    """The page's tasks in order, loaded with holders and settings."""
    found = {t.id: t for t in db.session.scalars(sa.select(m.Task).where(m.Task.id.in_(ids)).options(
        selectinload(m.Task.holders), selectinload(m.Task.settings)))} if ids else {}
    return [found[i] for i in ids]
