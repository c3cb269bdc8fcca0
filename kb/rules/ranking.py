"""Ranking takers and finding the tasks a profession could hand over (opgaveflytning).

Ranking keys, in order (docs/decisions/0019-fit.md):

1. realistic takers first — allowed, and able with at most oplæring or a course (fit recommended or trainable) —
   then those who would need an education (requires_education), then those not allowed;
2. the legal answer: independent before delegation;
3. the fit: recommended before trainable;
4. support: a group that holds the task today or that a report names as taker before one nobody has named — a
   peer worker with a 22-hour course does not lead where the reports propose occupational therapists;
5. the fewest training hours (unknown hours last);
6. the taker's own shortage: none = unknown < low < moderate < high — do not move a task onto another scarce
   group (seed 000 L2126-2130). "unknown" means no source reports a shortage, so it ranks with "none": ranking it
   lower would push groups nobody reports as scarce (service staff, porters) below groups known to be short;
7. the lowest education level (LEON: lowest effective level of care);
8. the profession slug, so the order is total and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable

from .engine import who_may
from .facts import Context, Knowledge, ProfessionFact, TaskFact
from .shortlist import REALISTIC, Shortlisted, shortlist
from .order import taker_key
from .verdict import Result
from .vocabulary import SHORTAGE_ORDER  # re-exported: the ranking's order of scarcity

__all__ = ["rank", "shiftable", "explain", "taker_key", "SHORTAGE_ORDER"]


def _key(result: Result, by_slug: dict[str, ProfessionFact]) -> tuple:
    return taker_key(result.verdict, result.fit, result.training.hours, by_slug.get(result.profession),
                     result.profession, result.supported)


def rank(results: Iterable[Result], professions: Iterable[ProfessionFact]) -> list[Result]:
    """Results sorted best taker first (see the module docstring). Unknown professions count as shortage
    ``unknown`` and education level 0."""
    by_slug = {p.slug: p for p in professions}
    return sorted(results, key=lambda r: _key(r, by_slug))


def shiftable(holder: ProfessionFact, tasks: Iterable[TaskFact], professions: Iterable[ProfessionFact],
              context: Context | None = None, knowledge: Knowledge | None = None,
              limit_takers: int = 5, fits: tuple[str, ...] = REALISTIC) -> list[tuple[TaskFact, list[Result]]]:
    """Tasks ``holder`` typically holds that another profession can and may take over, with the best takers.

    Only tasks whose ``holders`` include the holder's slug; takers exclude the holder, its specialisations and its
    parent, and groups with a longer basic education than the holder (LEON: a task is moved down or sideways,
    never up — moving nurses' tasks onto physicians relieves no one); only realistic takers (allowed, fit
    recommended or trainable) count, and a task without one is left out; at most ``limit_takers`` takers per
    task, ranked with :func:`rank`. Tasks come ordered by their best taker's legal answer and fit, then title,
    then slug. The takers are found by :func:`kb.rules.shortlist.shortlist`; only they get a full
    explained result.
    """
    context = context if context is not None else Context()
    knowledge = knowledge if knowledge is not None else Knowledge()
    all_professions = list(professions)
    return explain(shortlist(holder, tasks, all_professions, context, knowledge, limit_takers, fits),
                   all_professions, context, knowledge)


def explain(items: Iterable[Shortlisted], professions: Iterable[ProfessionFact], context: Context,
            knowledge: Knowledge) -> list[tuple[TaskFact, list[Result]]]:
    """The full engine results for shortlisted takers (for the tasks a page or an API response shows)."""
    by_slug = {p.slug: p for p in professions}
    return [(item.task, who_may(item.task, [by_slug[slug] for slug, *_ in item.takers], context, knowledge))
            for item in items]
