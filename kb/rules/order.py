"""The order of takers (kb.rules.ranking's key), in one place for the ranking and the shortlist that must agree."""
from __future__ import annotations

from .facts import ProfessionFact
from .verdict import Verdict
from .vocabulary import SHORTAGE_ORDER

__all__ = ["UNKNOWN_HOURS", "taker_key"]

UNKNOWN_HOURS = 1 << 30  # ranks a gap of unknown length after every known one


def taker_key(verdict: Verdict, fit: str | None, hours: int | None, profession: ProfessionFact | None,
              slug: str, supported: bool = False) -> tuple:
    """The ranking key (kb.rules.ranking's docstring has the order and why); the shortlist builds the same key
    without a full result."""
    band = 2 if verdict is Verdict.NOT_ALLOWED else (1 if fit == "requires_education" else 0)
    legal = 0 if verdict in (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING) else 1
    fit_rank = {"recommended": 0, "trainable": 1}.get(fit, 2)
    shortage = SHORTAGE_ORDER.get(profession.shortage_level if profession else "unknown", SHORTAGE_ORDER["unknown"])
    level = profession.education_level if profession else 0
    return (band, legal, fit_rank, 0 if supported else 1, UNKNOWN_HOURS if hours is None else hours, shortage, level,
            slug)
