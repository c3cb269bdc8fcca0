"""The shortlist behind "shiftable" (flytbare opgaver): each task's best takers, found without a full verdict each.

Why: nurses hold a third of a national catalogue (16,000 tasks); asking :func:`kb.rules.engine.who_may` about every
task for every taker is 1.1 million explained verdicts — a minute of CPU for a list a user reads 50 rows of. The
ranking (:mod:`kb.rules.ranking`) needs only each taker's verdict and number of missing competences, and for a
taker no rule of the task mentions, both follow from set arithmetic the engine already does:

* the verdict's base is ``independent`` for members of a reserved group (or when nothing is reserved), else
  ``delegation``, or ``not_allowed`` when the task is never delegable (engine steps 2–3; a legal allow, a deny and an
  organisational rule can only come from a rule, and rules are left to the engine);
* missing competences turn the base into its "after training" form (step 6).

So the takers are bits of an integer ordered by the ranking's tie-breakers (shortage, education level, slug), each
competence is the mask of takers holding it, and "missing exactly m of the task's r required competences" is a mask
from r masks. Takers that a rule of the task covers are judged by the engine itself. The result is the engine's
ranking exactly (tests/unit/test_rules_shortlist.py compares the two on random catalogues); full explained results
are then needed only for the tasks shown (:func:`kb.rules.ranking.shiftable` builds them).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .engine import _judge, _TaskView
from .facts import Context, Knowledge, ProfessionFact, TaskFact
from .verdict import Verdict
from .vocabulary import SHORTAGE_ORDER

__all__ = ["Shortlisted", "related", "shortlist", "takers_for"]

_BY_RANK = (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING, Verdict.DELEGATION,
            Verdict.DELEGATION_AFTER_TRAINING)


@dataclass(frozen=True)
class Shortlisted:
    """A task another group may take over, with its best takers (profession slug, verdict), best first."""

    task: TaskFact
    takers: tuple[tuple[str, Verdict], ...]

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


class _Masks:
    """The takers as bits, lowest bit = the one the ranking prefers on equal verdict and missing competences."""

    def __init__(self, takers: list[ProfessionFact]):
        self.order = sorted(takers, key=lambda p: (SHORTAGE_ORDER.get(p.shortage_level, 0), p.education_level,
                                                   p.slug))
        self.all = (1 << len(self.order)) - 1
        self.holding: dict[str, int] = {}
        self.covering: dict[str, int] = {}  # group slug → takers that are the group or a specialisation of it
        for bit, p in enumerate(self.order):
            for c in p.competences:
                self.holding[c] = self.holding.get(c, 0) | (1 << bit)
            for g in {p.slug, p.parent} - {None}:
                self.covering[g] = self.covering.get(g, 0) | (1 << bit)

    def covered_by(self, groups: Iterable[str]) -> int:
        mask = 0
        for g in groups:
            mask |= self.covering.get(g, 0)
        return mask

    def missing_classes(self, required: list[str]) -> list[int]:
        """``classes[m]`` = takers missing exactly ``m`` of the required competences."""
        at_least = [self.all] + [0] * len(required)  # at_least[k]: takers holding at least k of them
        for n, c in enumerate(required, start=1):
            held = self.holding.get(c, 0)
            for k in range(n, 0, -1):
                at_least[k] |= at_least[k - 1] & held
        r = len(required)
        return [at_least[r - m] & ~(at_least[r - m + 1] if r - m + 1 <= r else 0) for m in range(r + 1)]


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def shortlist(holder: ProfessionFact, tasks: Iterable[TaskFact], professions: Iterable[ProfessionFact],
              context: Context, knowledge: Knowledge, limit_takers: int = 5) -> list[Shortlisted]:
    """Tasks ``holder`` holds that a taker (:func:`takers_for`) may take over, each with at most ``limit_takers``
    takers ranked as :func:`kb.rules.ranking.rank` ranks them; tasks by best verdict, then title, then slug."""
    if limit_takers < 1:
        raise ValueError(f"limit_takers must be at least 1; got {limit_takers!r}")
    masks = _Masks(takers_for(holder, professions))
    found: list[Shortlisted] = []
    for task in tasks:
        if holder.slug not in task.holders:
            continue
        takers = _best_takers(_TaskView.of(task, context), masks, context, knowledge, limit_takers)
        if takers:
            found.append(Shortlisted(task, takers))
    found.sort(key=lambda s: (s.best.rank, s.task.title, s.task.slug))
    return found


def _best_takers(view: _TaskView, masks: _Masks, context: Context, knowledge: Knowledge,
                 limit: int) -> tuple[tuple[str, Verdict], ...]:
    ranked: list[tuple[tuple[int, int, int], str, Verdict]] = []
    # Rules name a group (or everyone but some); the engine decides the takers they cover.
    exact = masks.all if any(r.profession is None for r in view.rules) else \
        masks.covered_by({r.profession for r in view.rules})
    for bit in _bits(exact):
        result = _judge(view, masks.order[bit], context, knowledge)
        if result.verdict is not Verdict.NOT_ALLOWED:
            ranked.append(((result.verdict.rank, len(result.missing_competences), bit), result.profession,
                           result.verdict))
    fast = masks.all & ~exact
    # (base rank, takers, whether a gap lowers the verdict): members keep "independent" whatever they miss.
    if view.groups:
        members = masks.covered_by(view.groups) & fast
        bases = [(0, members, False)] + ([] if view.never else [(2, fast & ~members, True)])
    else:
        bases = [(0, fast, True)]
    required = list(dict.fromkeys(q.competence for q in view.requirements if q.level == "required"))
    classes = masks.missing_classes(required)
    for base, group, gap_counts in bases:
        taken = 0
        for missing, with_missing in enumerate(classes):
            rank = base + (1 if missing and gap_counts else 0)
            for bit in _bits(group & with_missing):
                ranked.append(((rank, missing, bit), masks.order[bit].slug, _BY_RANK[rank]))
                taken += 1
                if taken == limit:
                    break
            if taken == limit:
                break
    ranked.sort(key=lambda item: item[0])
    return tuple((slug, verdict) for _, slug, verdict in ranked[:limit])
