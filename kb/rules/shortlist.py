"""The shortlist behind "shiftable" (flytbare opgaver): each task's best takers, found without a full verdict each.

Why: nurses hold a third of a national catalogue (16,000 tasks); asking :func:`kb.rules.engine.who_may` about every
task for every taker is 1.1 million explained verdicts — a minute of CPU for a list a user reads 50 rows of. The
ranking (:mod:`kb.rules.ranking`) needs only each taker's verdict, fit and training hours, and for a taker no rule
of the task mentions, these follow from set arithmetic the engine already does, without building reasons:

* the verdict's base is ``independent`` for members of a reserved group (or when nothing is reserved), else
  ``delegation``, or ``not_allowed`` when the task is never delegable (engine steps 2–3; a legal allow, a deny and an
  organisational rule can only come from a rule, and rules are left to the engine);
* missing competences turn the base into its "after training" form (step 6);
* the fit comes from the same functions the engine uses (:mod:`kb.rules.fit`).

Takers that a rule of the task covers are judged by the engine itself. The result is the engine's ranking exactly
(tests/unit/test_rules_shortlist.py compares the two on random catalogues); full explained results are then needed
only for the tasks shown (:func:`kb.rules.ranking.shiftable` builds them).
"""
from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from .engine import _judge, _TaskView
from .facts import Context, Knowledge, ProfessionFact, TaskFact
from .fit import fit_of, gap_effort, supported
from .order import taker_key
from .verdict import Verdict

__all__ = ["REALISTIC", "Shortlisted", "related", "shortlist", "takers_for"]

_BY_RANK = (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING, Verdict.DELEGATION,
            Verdict.DELEGATION_AFTER_TRAINING)
REALISTIC = ("recommended", "trainable")  # the takers a leader can act on


@dataclass(frozen=True)
class Shortlisted:
    """A task another group can and may take over, with its best takers (profession slug, verdict, fit), best
    first; ``order`` is the best taker's (legal, fit) rank, by which tasks are listed."""

    task: TaskFact
    takers: tuple[tuple[str, Verdict, str], ...]
    order: tuple[int, int] = (0, 0)

    @property
    def best(self) -> Verdict:
        return self.takers[0][1]


def related(holder: ProfessionFact, other: ProfessionFact) -> bool:
    """The holder itself, a specialisation of it, or its parent."""
    return other.slug == holder.slug or other.parent == holder.slug or other.slug == holder.parent


def takers_for(holder: ProfessionFact, professions: Iterable[ProfessionFact]) -> list[ProfessionFact]:
    """Who may be offered the holder's tasks: not the holder, its specialisations or its parent, and no group with a
    longer basic education (LEON: a task moves down or sideways, never up), by slug."""
    return sorted((p for p in professions if not related(holder, p) and p.education_level <= holder.education_level),
                  key=lambda p: p.slug)


def shortlist(holder: ProfessionFact, tasks: Iterable[TaskFact], professions: Iterable[ProfessionFact],
              context: Context, knowledge: Knowledge, limit_takers: int = 5,
              fits: tuple[str, ...] = REALISTIC) -> list[Shortlisted]:
    """Tasks ``holder`` holds that a taker (:func:`takers_for`) can and may take over (fit recommended or
    trainable; ``fits=("recommended",)`` for only the recommended), each with at most ``limit_takers`` takers ranked
    as :func:`kb.rules.ranking.rank` ranks them; tasks by their best taker's legal answer and fit, then title, then
    slug. Tasks without such a taker are left out."""
    if limit_takers < 1:
        raise ValueError(f"limit_takers must be at least 1; got {limit_takers!r}")
    takers = takers_for(holder, professions)
    found: list[Shortlisted] = []
    for task in tasks:
        if holder.slug not in task.holders:
            continue
        ranked = _best_takers(_TaskView.of(task, context), takers, context, knowledge, limit_takers, fits)
        if ranked:
            found.append(Shortlisted(task, tuple((slug, verdict, fit) for _, slug, verdict, fit in ranked),
                                     ranked[0][0][1:3]))
    found.sort(key=lambda s: (s.order, s.task.title, s.task.slug))
    return found


def _best_takers(view: _TaskView, takers: list[ProfessionFact], context: Context, knowledge: Knowledge,
                 limit: int, fits: tuple[str, ...]) -> list[tuple[tuple, str, Verdict, str]]:
    ranked = []
    # Rules name a group (or everyone but some); the engine decides the takers they cover.
    everyone = any(r.profession is None for r in view.rules)
    named = {r.profession for r in view.rules}
    required = list(dict.fromkeys(q.competence for q in view.requirements if q.level == "required"))
    for p in takers:
        if everyone or p.slug in named or p.parent in named:
            result = _judge(view, p, context, knowledge)
            verdict, fit, hours = result.verdict, result.fit, result.training.hours
        else:
            verdict, fit, hours = _quick(view, p, required, knowledge)
        if fit in fits:
            ranked.append((taker_key(verdict, fit, hours, p, p.slug), p.slug, verdict, fit))
    return heapq.nsmallest(limit, ranked)


def _quick(view: _TaskView, p: ProfessionFact, required: list[str],
           knowledge: Knowledge) -> tuple[Verdict, str | None, int | None]:
    """The engine's verdict, fit and training hours for a taker no rule of the task covers (steps 2, 3d, 6, 7)."""
    member = any(p.covers(g) for g in view.groups)
    if view.groups and not member and view.never:
        return Verdict.NOT_ALLOWED, None, None
    missing = [c for c in required if c not in p.competences]
    base = 0 if member or not view.groups else 2
    verdict = _BY_RANK[base + (1 if missing and not member else 0)]
    effort, hours = gap_effort(missing, p, knowledge)
    return verdict, fit_of(effort, hours, supported(view.task, p)), hours
