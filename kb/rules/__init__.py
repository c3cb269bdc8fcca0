"""The who-may rule engine (stdlib only: no Flask, no SQLAlchemy).

``who_may(task, professions, context, knowledge)`` answers "which professional groups may take over this task, and
on what conditions?" from plain facts; ``rank`` and ``shiftable`` order the takers. See :mod:`kb.rules.engine` for
the semantics (forbeholdt virksomhed, medhjælp, konkret delegation / rammedelegation, skriftlig instruks).
"""

from .engine import Reservation, reservation, who_may, who_may_one
from .facts import (
    Context,
    EducationFact,
    EvidenceFact,
    Knowledge,
    ProfessionFact,
    ProvisionFact,
    Requirement,
    RuleFact,
    TaskFact,
    TrainingFact,
)
from .fit import SMALL_GAP_HOURS
from .ranking import SHORTAGE_ORDER, explain, rank, shiftable
from .shortlist import Shortlisted, related, shortlist, takers_for
from .verdict import (
    EFFORT_LABELS_DA, FIT_LABELS_DA, VERDICT_ORDER, MissingCompetence, ProvisionRef, Reason, Result, Training, Verdict,
)

__all__ = [
    "Context",
    "EFFORT_LABELS_DA",
    "EducationFact",
    "EvidenceFact",
    "FIT_LABELS_DA",
    "Knowledge",
    "MissingCompetence",
    "ProfessionFact",
    "ProvisionFact",
    "ProvisionRef",
    "Reason",
    "Requirement",
    "Reservation",
    "Result",
    "RuleFact",
    "SHORTAGE_ORDER",
    "SMALL_GAP_HOURS",
    "Shortlisted",
    "TaskFact",
    "Training",
    "TrainingFact",
    "VERDICT_ORDER",
    "Verdict",
    "explain",
    "rank",
    "related",
    "reservation",
    "shiftable",
    "shortlist",
    "takers_for",
    "who_may",
    "who_may_one",
]
