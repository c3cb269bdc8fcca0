"""The profession page's take-overs at national size: an adaptor over kb.whomay.service.takeover_for's answer
(verdict groups of (task fact, result)), so the page needs only counts and one page of items.

takeover_for stays the one door to the engine (decision 0014); this module only counts and slices what it
returns, and is all the page, the export and the API of the page know of its shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from kb.extensions import db
from kb.knowledge_state import cached
from kb.rules import Result, TaskFact, Verdict
from kb.whomay.service import context_key, kept_family, takeover_for

FITS = ("recommended", "trainable", "requires_education")


@dataclass(frozen=True)
class TakeoverView:
    groups: tuple[tuple[Verdict, tuple[tuple[TaskFact, Result], ...]], ...]
    # The items of each fit, in the order above: made once per answer (the nurses have 29,000 take-overs).
    fits: dict[str, tuple[tuple[TaskFact, Result], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fits: dict[str, list] = {fit: [] for fit in FITS}
        for item in self.all_items():
            if item[1].fit in fits:
                fits[item[1].fit].append(item)
        self.fits.update({fit: tuple(items) for fit, items in fits.items()})

    def all_items(self) -> Iterator[tuple[TaskFact, Result]]:
        """Every take-over, by verdict (best first), in the engine's order within a verdict."""
        for _, items in self.groups:
            yield from items

    @property
    def total(self) -> int:
        return sum(len(items) for _, items in self.groups)

    def by_verdict(self) -> list[tuple[Verdict, int]]:
        return [(verdict, len(items)) for verdict, items in self.groups if items]

    def by_fit(self) -> list[tuple[str, int]]:
        return [(fit, len(self.fits[fit])) for fit in FITS if self.fits[fit]]

    def fit_count(self, fit: str) -> int:
        return len(self.fits.get(fit, ()))

    def page(self, fit: str, offset: int, limit: int) -> list[tuple[TaskFact, Result]]:
        """Items ``offset`` … ``offset + limit`` of one fit."""
        return list(self.fits.get(fit, ())[offset:offset + limit])


def takeover_view(slug: str, context) -> TakeoverView:
    """The tasks ``slug`` may take over in ``context`` as a view, kept in the one cache layer beside takeover_for's
    answer (kb/caches.py, catalogue.takeover_view): grouping the nurses' 29,000 take-overs by fit is done once per
    knowledge version, and after a publication from takeover_for's answer brought up to date."""
    def build() -> TakeoverView:
        answer = takeover_for(slug, context)
        return TakeoverView(tuple((verdict, tuple(items)) for verdict, items in answer or ()))

    return cached(db.session, kept_family("catalogue.takeover_view", context), f"{slug}|{context_key(context)}",
                  build)
