"""Verdicts and the explained result the engine returns for one (task, profession, context).

Every page, the JSON API, the CLI and the PDF render these objects; ``Result.to_dict()`` is the JSON shape of the
``who-may`` API (contract in shared/design/architecture.md, "Verdicts").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .facts import EvidenceFact, ProvisionFact

REASON_KINDS = frozenset({"legal", "organisational", "competence"})


class Verdict(str, Enum):
    """What a profession may do with a task, best first."""

    INDEPENDENT = "independent"
    INDEPENDENT_AFTER_TRAINING = "independent_after_training"
    DELEGATION = "delegation"
    DELEGATION_AFTER_TRAINING = "delegation_after_training"
    NOT_ALLOWED = "not_allowed"

    @property
    def label_da(self) -> str:
        """The Danish label shown to users."""
        return _LABELS_DA[self]

    @property
    def rank(self) -> int:
        """0 for the best verdict (independent) up to 4 for not_allowed."""
        return _ORDER.index(self)

    @property
    def allowed(self) -> bool:
        return self is not Verdict.NOT_ALLOWED

    @property
    def after_training(self) -> bool:
        return self in (Verdict.INDEPENDENT_AFTER_TRAINING, Verdict.DELEGATION_AFTER_TRAINING)

    @property
    def by_delegation(self) -> bool:
        return self in (Verdict.DELEGATION, Verdict.DELEGATION_AFTER_TRAINING)

    def __str__(self) -> str:  # str Enum: make f-strings give the value, not "Verdict.X"
        return self.value


_ORDER: tuple[Verdict, ...] = (
    Verdict.INDEPENDENT,
    Verdict.INDEPENDENT_AFTER_TRAINING,
    Verdict.DELEGATION,
    Verdict.DELEGATION_AFTER_TRAINING,
    Verdict.NOT_ALLOWED,
)
VERDICT_ORDER = _ORDER

_LABELS_DA = {
    Verdict.INDEPENDENT: "Selvstændigt",
    Verdict.INDEPENDENT_AFTER_TRAINING: "Selvstændigt efter oplæring",
    Verdict.DELEGATION: "Ved delegation",
    Verdict.DELEGATION_AFTER_TRAINING: "Ved delegation efter oplæring",
    Verdict.NOT_ALLOWED: "Må ikke",
}


@dataclass(frozen=True)
class ProvisionRef:
    """The citation of a provision carried on a reason."""

    slug: str
    act: str
    ref: str
    url: str
    title: str
    verified: bool

    @classmethod
    def from_fact(cls, fact: ProvisionFact) -> ProvisionRef:
        return cls(slug=fact.slug, act=fact.act, ref=fact.ref, url=fact.url, title=fact.title, verified=fact.verified)

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "act": self.act,
            "ref": self.ref,
            "url": self.url,
            "title": self.title,
            "verified": self.verified,
        }


@dataclass(frozen=True)
class Reason:
    """One explanation: ``legal`` (law), ``organisational`` (agreement/local rule, not law) or ``competence``."""

    kind: str
    text: str
    provision: ProvisionRef | None = None

    def __post_init__(self) -> None:
        if self.kind not in REASON_KINDS:
            raise ValueError(f"Reason.kind must be one of {', '.join(sorted(REASON_KINDS))}; got {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "provision": self.provision.to_dict() if self.provision else None,
        }


@dataclass(frozen=True)
class MissingCompetence:
    """A required competence the profession lacks, with the education offers (slug, name) that give it."""

    slug: str
    name: str
    educations: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "educations": [{"slug": slug, "name": name} for slug, name in self.educations],
        }


FIT_LABELS_DA = {"recommended": "Anbefalet", "trainable": "Kan oplæres", "requires_education": "Kræver uddannelse"}
EFFORT_LABELS_DA = {"none": "Ingen", "oplæring": "Oplæring", "kursus": "Kursus", "uddannelse": "Uddannelse"}
_FIT_ORDER = ("recommended", "trainable", "requires_education")


@dataclass(frozen=True)
class Training:
    """What closing a group's competence gap for a task takes (kb.rules.fit): the largest ``effort`` of its gaps,
    the typical ``hours`` of those closable by oplæring or a course (None when an education is needed or a gap's
    hours are not known), and the education offers (slug, name) that give the missing competences."""

    effort: str = "none"
    hours: int | None = 0
    offers: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"effort": self.effort, "effort_label": EFFORT_LABELS_DA[self.effort], "hours": self.hours,
                "offers": [{"slug": slug, "name": name} for slug, name in self.offers]}


@dataclass(frozen=True)
class Result:
    """The verdict for one profession, with conditions, the competence gap and the reasons behind it.

    ``delegable_from`` lists the reserving groups a medhjælp may receive the task from (delegation verdicts only).
    """

    profession: str
    verdict: Verdict
    conditions: tuple[str, ...] = ()
    missing_competences: tuple[MissingCompetence, ...] = ()
    reasons: tuple[Reason, ...] = ()
    delegable_from: tuple[str, ...] = ()
    fit: str | None = None  # recommended | trainable | requires_education (kan), beside the verdict (må)
    training: Training = Training()
    evidence: tuple[EvidenceFact, ...] = ()  # the reports' proposals and practice naming this group for the task
    supported: bool = False  # the group holds the task today or a report names it: ranks first within its fit

    @property
    def legal(self) -> str:
        """The legal answer alone: independent, delegation or not_allowed (the verdict without the gap)."""
        if self.verdict is Verdict.NOT_ALLOWED:
            return "not_allowed"
        return "delegation" if self.verdict.by_delegation else "independent"

    @property
    def realistic(self) -> bool:
        """May, and can with no more than oplæring or a course: the takers a leader can act on."""
        return self.fit in ("recommended", "trainable")

    @property
    def fit_rank(self) -> int:
        """0 recommended, 1 trainable, 2 requires_education, 3 not allowed."""
        return _FIT_ORDER.index(self.fit) if self.fit is not None else len(_FIT_ORDER)

    @property
    def fit_label(self) -> str | None:
        return FIT_LABELS_DA[self.fit] if self.fit is not None else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (only str, bool, None, lists and dicts)."""
        return {
            "profession": self.profession,
            "verdict": self.verdict.value,
            "verdict_label": self.verdict.label_da,
            "conditions": list(self.conditions),
            "missing_competences": [m.to_dict() for m in self.missing_competences],
            "reasons": [r.to_dict() for r in self.reasons],
            "delegable_from": list(self.delegable_from),
            "legal": self.legal,
            "fit": self.fit,
            "fit_label": self.fit_label,
            "training": self.training.to_dict(),
            "evidence": [{"kind": e.kind, "summary": e.summary, "from": e.from_, "sources": list(e.sources)}
                         for e in self.evidence],
            "supported": self.supported,
        }
