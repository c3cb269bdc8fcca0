"""What `kb check-seed` reports about the competence data behind "can" (issue 19, item 5).

A task that requires a competence no profession's basic education gives puts every group, physicians included,
at "…efter oplæring": the answer then says nothing about who is best placed. That is right only when the task is
new to everyone (a new technology): then the competence must say how it is gained, so every group shows the
training. Listed, with the competences that have no training data at all (the engine counts those as needing an
education). Pure: reads a SeedBundle, touches no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kb.knowledge.bundle import SeedBundle


@dataclass
class CompetenceAudit:
    without_training: list[str] = field(default_factory=list)  # competence slugs
    # (task slug, competence slug, whether the competence says how it is gained)
    held_by_nobody: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Tasks requiring a competence nobody's basic education gives and nobody has said how to gain."""
        return [(task, competence) for task, competence, trained in self.held_by_nobody if not trained]


def audit(bundle: SeedBundle) -> CompetenceAudit:
    found = CompetenceAudit()
    trained = {}
    for e in bundle.entries("competences"):
        trained[e.data.slug] = e.data.training_effort is not None
        if not trained[e.data.slug]:
            found.without_training.append(e.data.slug)
    given = {c for e in bundle.entries("professions") for c in e.data.competences}
    for e in bundle.entries("tasks"):
        for q in e.data.requirements:
            if q.level == "required" and q.competence not in given:
                found.held_by_nobody.append((e.data.slug, q.competence, trained.get(q.competence, False)))
    found.without_training.sort()
    found.held_by_nobody.sort()
    return found
