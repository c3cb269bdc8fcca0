"""Can the group realistically take the task (kan), beside whether it may (må): the fit (issue 19).

The verdict answers "may"; it is almost always yes after training, so alone it does not help a leader choose. The
fit asks the delegation frameworks' second question — is this group's training a realistic basis? (NCSBN, the
Calderdale framework; shared/research/anchors.md) — from three facts:

* **the gap**: the task's required competences the group's basic education does not give (engine step 6);
* **the training** each gap takes (:class:`kb.rules.facts.TrainingFact`, curated per competence): oplæring, a
  kursus, or an uddannelse; the group's basic education bounds it — below the competence's education level, or
  without the basis it builds on, only an education closes it. The task's effort is its largest gap's; its hours
  the sum of the gaps closable by oplæring or a course;
* **support**: the group holds the task today (practice), or a report proposes or describes it taking it
  (the task's evidence).

Then ``recommended`` = no gap or a small one (oplæring of at most :data:`SMALL_GAP_HOURS` hours) and support;
``trainable`` = every gap closable by oplæring or a course; otherwise ``requires_education`` — except for a group that
holds the task today, whose practice outweighs a gap in our competence data (it is at worst ``trainable``); and no
fit when the group may not do the task. A competence without training data counts as needing an education: we do not claim a
group can be trained into what nobody has said it can.

Properties (tests/unit/test_rules_properties.py): more competences never lower the fit, and the ranking
(:mod:`kb.rules.ranking`) never puts a ``requires_education`` taker above a realistic one.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .facts import EvidenceFact, Knowledge, ProfessionFact, TaskFact
from .verdict import MissingCompetence, Training
from .vocabulary import TRAINING_EFFORTS

__all__ = ["SMALL_GAP_HOURS", "assess", "evidence_for", "fit_of", "gap_effort", "supported", "training_for"]

_EFFORT_RANK = {effort: n for n, effort in enumerate(TRAINING_EFFORTS)}

# Two working days of oplæring: what a unit can give alongside the daily work without a course.
SMALL_GAP_HOURS = 16


def gap_effort(missing: Iterable[str], profession: ProfessionFact, knowledge: Knowledge) -> tuple[str, int | None]:
    """(effort, hours) for the missing competences' slugs: the largest effort; the hours of the gaps closable by
    oplæring or a course, None when an education is needed or a closable gap's hours are not known."""
    effort, hours, known = "none", 0, True
    for slug in missing:
        curated = knowledge.training.get(slug)
        this = curated.effort_for(profession) if curated is not None else "uddannelse"
        if _EFFORT_RANK[this] > _EFFORT_RANK[effort]:
            effort = this
        if this != "uddannelse":
            if curated.hours is None:
                known = False
            else:
                hours += curated.hours
    return effort, hours if known and effort != "uddannelse" else None


def training_for(missing: Sequence[MissingCompetence], profession: ProfessionFact,
                 knowledge: Knowledge) -> Training:
    """What closing the gap takes for this group: the largest effort, the hours of the closable gaps, the offers."""
    if not missing:
        return Training()
    effort, hours = gap_effort((gap.slug for gap in missing), profession, knowledge)
    offers = dict.fromkeys(offer for gap in missing for offer in gap.educations)
    return Training(effort=effort, hours=hours, offers=tuple(offers))


def evidence_for(task: TaskFact, profession: ProfessionFact) -> tuple[EvidenceFact, ...]:
    """The task's evidence naming this group (or the group it specialises) as the taker."""
    return tuple(e for e in task.evidence if profession.covers(e.taker))


def assess(task: TaskFact, profession: ProfessionFact, missing: Sequence[MissingCompetence],
           knowledge: Knowledge) -> tuple[str, Training, tuple[EvidenceFact, ...], bool]:
    """(fit, training, evidence, supported) for a group the engine allows; see the module docstring."""
    evidence = evidence_for(task, profession)
    training = training_for(missing, profession, knowledge)
    held = holds(task, profession)
    backed = bool(evidence) or held
    return fit_of(training.effort, training.hours, backed, held), training, evidence, backed


def holds(task: TaskFact, profession: ProfessionFact) -> bool:
    """The group (or the group it specialises) holds the task today: practice supports it."""
    return any(profession.covers(h) for h in task.holders)


def supported(task: TaskFact, profession: ProfessionFact) -> bool:
    """Practice or a report supports the group taking the task."""
    return holds(task, profession) or any(profession.covers(e.taker) for e in task.evidence)


def fit_of(effort: str, hours: int | None, supported: bool, held: bool = False) -> str:
    """The fit from what the gap takes and whether practice or a report supports the group taking the task. A group
    that holds the task today is never "requires_education": its practice outweighs a gap in our competence data."""
    if effort == "uddannelse" and not held:
        return "requires_education"
    small = effort == "none" or (effort == "oplæring" and hours is not None and hours <= SMALL_GAP_HOURS)
    return "recommended" if small and supported else "trainable"
