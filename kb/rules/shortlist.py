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
from .fit import SMALL_GAP_HOURS
from .order import UNKNOWN_HOURS, taker_key
from .verdict import Verdict
from .vocabulary import TRAINING_EFFORTS

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
    takers = [_Taker.of(p, knowledge) for p in takers_for(holder, professions)]
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


_RANK = {effort: n for n, effort in enumerate(TRAINING_EFFORTS)}
_EDUCATION = _RANK["uddannelse"]
_OPLAERING = _RANK["oplæring"]
_FIT_RANK = {"recommended": 0, "trainable": 1}


class _Taker:
    """A taker with what the inner loop asks of it at hand: its slug and parent, the tail of its ranking key, and
    each competence's (effort rank, hours) for it, worked out once per shortlist instead of once per task."""

    __slots__ = ("fact", "slug", "parent", "competences", "tail", "efforts", "_knowledge")

    @classmethod
    def of(cls, p: ProfessionFact, knowledge: Knowledge) -> _Taker:
        t = cls()
        t.fact, t.slug, t.parent, t.competences, t._knowledge = p, p.slug, p.parent, p.competences, knowledge
        t.tail = taker_key(Verdict.INDEPENDENT, "recommended", 0, p, p.slug)[5:]  # shortage, level, slug
        t.efforts = {}  # competence → (effort rank, hours), filled as competences come up
        return t

    def effort(self, competence: str) -> tuple[int, int | None]:
        curated = self._knowledge.training.get(competence)
        effort = curated.effort_for(self.fact) if curated is not None else "uddannelse"
        found = self.efforts[competence] = (_RANK[effort], curated.hours if curated is not None else None)
        return found


def _best_takers(view: _TaskView, takers: list[_Taker], context: Context, knowledge: Knowledge,
                 limit: int, fits: tuple[str, ...]) -> list[tuple[tuple, str, Verdict, str]]:
    """The best ``limit`` takers whose fit is one of ``fits``: the engine for takers a rule covers, otherwise the
    engine's steps 2, 3d, 6 and 7 (kb/rules/fit.py) worked out inline — the differential test holds them equal."""
    ranked = []
    # Rules name a group (or everyone but some); the engine decides the takers they cover.
    everyone = any(r.profession is None for r in view.rules)
    named = {r.profession for r in view.rules}
    groups = frozenset(view.groups)
    never = bool(view.never)
    required = list(dict.fromkeys(q.competence for q in view.requirements if q.level == "required"))
    support = view.task.holders | {e.taker for e in view.task.evidence}
    for t in takers:
        if everyone or t.slug in named or t.parent in named:
            result = _judge(view, t.fact, context, knowledge)
            if result.fit not in fits:
                continue
            key = taker_key(result.verdict, result.fit, result.training.hours, t.fact, t.slug, result.supported)
            ranked.append((key, t.slug, result.verdict, result.fit))
            continue
        member = t.slug in groups or t.parent in groups
        if groups and not member and never:
            continue  # not allowed
        legal = 0 if member or not groups else 1
        effort, hours, missing = 0, 0, False
        for c in required:
            if c not in t.competences:
                missing = True
                rank, h = t.efforts.get(c) or t.effort(c)
                if rank > effort:
                    effort = rank
                if rank != _EDUCATION:
                    hours = None if h is None or hours is None else hours + h
        backed = t.slug in support or t.parent in support
        if effort == _EDUCATION:
            hours = None
            fit = "trainable" if t.slug in view.task.holders or t.parent in view.task.holders \
                else "requires_education"
        elif (effort == 0 or (effort == _OPLAERING and hours is not None and hours <= SMALL_GAP_HOURS)) and backed:
            fit = "recommended"
        else:
            fit = "trainable"
        if fit not in fits:
            continue
        verdict = _BY_RANK[2 * legal + (1 if missing and not member else 0)]
        ranked.append(((0, legal, _FIT_RANK[fit], 0 if backed else 1, UNKNOWN_HOURS if hours is None else hours)
                       + t.tail, t.slug, verdict, fit))
    return heapq.nsmallest(limit, ranked)
