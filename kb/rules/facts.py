"""Plain, immutable facts the rule engine reasons over.

The database adapter turns ORM rows into these frozen dataclasses; the engine never sees Flask or SQLAlchemy.
Collections are tuples or frozensets so every fact except :class:`Knowledge` is hashable. Lists and sets passed in
are converted, and enumerated string fields are checked in ``__post_init__`` (``ValueError`` with a clear message).

Vocabulary (Danish legal terms):

* *forbeholdt virksomhed* — a reserved activity: a provision with effect ``reserves`` lists the professions
  (``reserved_to``) that may perform the task on their own authority.
* *medhjælp* — anyone else performing a reserved task under delegation (BEK nr. 1219 af 11/12/2009).
* ``never_delegable`` — a provision making the task impossible to delegate (e.g. prescriptions, ligsyn).
* ``requires_written_instruction`` — a provision requiring a *skriftlig instruks*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from . import vocabulary

PROVISION_EFFECTS = frozenset(vocabulary.PROVISION_EFFECTS)
KINDS = frozenset(vocabulary.KINDS)
RULE_EFFECTS = frozenset(vocabulary.RULE_EFFECTS)
REQUIREMENT_LEVELS = frozenset(vocabulary.REQUIREMENT_LEVELS)
COMPLEXITIES = frozenset(vocabulary.COMPLEXITIES)
SHORTAGE_LEVELS = frozenset(vocabulary.SHORTAGE_LEVELS)
COMPETENCE_TRAINING = frozenset(vocabulary.COMPETENCE_TRAINING)
EVIDENCE_KINDS = frozenset(vocabulary.EVIDENCE_KINDS)


def _check(value: Any, allowed: frozenset[str], cls: str, name: str, optional: bool = False) -> None:
    if optional and value is None:
        return
    if value not in allowed:
        choices = ", ".join(sorted(allowed)) + (", or None" if optional else "")
        raise ValueError(f"{cls}.{name} must be one of {choices}; got {value!r}")


def _set(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _as_date(value: Any, cls: str, name: str, optional: bool = True) -> date | None:
    if value is None and optional:
        return None
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{cls}.{name} must be a datetime.date{' or None' if optional else ''}; got {value!r}")
    return value


@dataclass(frozen=True)
class ProvisionFact:
    """A legal (or organisational) provision attached to a task, e.g. autorisationsloven § 74, stk. 2."""

    slug: str
    act: str
    ref: str
    title: str
    url: str
    effect: str
    reserved_to: frozenset[str] = frozenset()
    kind: str = "legal"
    valid_from: date | None = None
    valid_to: date | None = None
    verified: bool = True
    scope: str = ""  # særligt lovhjemlet: the part of the task the right covers, shown as a condition
    complexity: str | None = None  # the provision holds only at this patient complexity
    organisation: str | None = None  # organisational provisions: the region/municipality they hold in

    def __post_init__(self) -> None:
        _check(self.effect, PROVISION_EFFECTS, "ProvisionFact", "effect")
        _check(self.kind, KINDS, "ProvisionFact", "kind")
        _check(self.complexity, COMPLEXITIES, "ProvisionFact", "complexity", optional=True)
        _set(self, "reserved_to", frozenset(self.reserved_to))
        _set(self, "valid_from", _as_date(self.valid_from, "ProvisionFact", "valid_from"))
        _set(self, "valid_to", _as_date(self.valid_to, "ProvisionFact", "valid_to"))
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"ProvisionFact {self.slug!r}: valid_from {self.valid_from} is after valid_to {self.valid_to}")

    def in_force(self, on: date) -> bool:
        """True when ``valid_from <= on <= valid_to``; a missing bound is open."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        if self.valid_to is not None and on > self.valid_to:
            return False
        return True

    def holds(self, context: Context) -> bool:
        """In force on the context's date, for its complexity (an unstated complexity is the ordinary case, so a
        provision for uncomplicated cases holds — with its scope shown), and in its organisation."""
        if not self.in_force(context.on):
            return False
        if self.complexity is not None and context.complexity is not None and self.complexity != context.complexity:
            return False
        return context.covers_organisation(self.organisation)


@dataclass(frozen=True)
class Requirement:
    """A competence a task needs, ``required`` or ``desirable``, optionally only at one patient complexity."""

    competence: str
    level: str
    complexity: str | None = None

    def __post_init__(self) -> None:
        _check(self.level, REQUIREMENT_LEVELS, "Requirement", "level")
        _check(self.complexity, COMPLEXITIES, "Requirement", "complexity", optional=True)


@dataclass(frozen=True)
class RuleFact:
    """An explicit editor-written rule about (task, profession[, setting][, complexity]).

    ``effect`` is ``allow``, ``deny`` or ``conditions``; ``kind`` says whether it is law (``legal``) or an
    agreement/local instruction (``organisational``). A rule about a parent profession also covers its
    specialisations (e.g. a rule for ``sygeplejerske`` covers ``specialsygeplejerske``).
    """

    slug: str
    profession: str | None  # None: every profession except ``except_professions`` (a group named in words)
    effect: str
    kind: str
    provision: ProvisionFact | None = None
    setting: str | None = None
    complexity: str | None = None
    conditions: tuple[str, ...] = ()
    note: str = ""
    except_professions: frozenset[str] = frozenset()
    organisation: str | None = None  # where an organisational rule holds; None: nationally

    def __post_init__(self) -> None:
        _set(self, "except_professions", frozenset(self.except_professions))
        if self.profession is not None and self.except_professions:
            raise ValueError(f"RuleFact {self.slug!r}: except_professions is only for a rule without a profession")
        _check(self.effect, RULE_EFFECTS, "RuleFact", "effect")
        _check(self.kind, KINDS, "RuleFact", "kind")
        _check(self.complexity, COMPLEXITIES, "RuleFact", "complexity", optional=True)
        if isinstance(self.conditions, str):
            raise ValueError(f"RuleFact {self.slug!r}: conditions must be a sequence of strings, not a string")
        _set(self, "conditions", tuple(self.conditions))

    def covers(self, profession: ProfessionFact) -> bool:
        """The rule is about this profession: it names it or its parent, or names everyone but neither."""
        if self.profession is not None:
            return profession.covers(self.profession)
        return not any(profession.covers(x) for x in self.except_professions)

    @property
    def scope_organisation(self) -> str | None:
        """Where the rule holds: its own organisation, else its provision's."""
        if self.organisation is not None:
            return self.organisation
        return self.provision.organisation if self.provision is not None else None


@dataclass(frozen=True)
class EvidenceFact:
    """A report's proposal or described practice: ``taker`` could take (or takes) the task, from ``from_``."""

    taker: str
    kind: str = "proposal"
    summary: str = ""
    from_: str | None = None
    sources: tuple[str, ...] = ()  # citation labels ("seed-000 L1295-1390", an address) as shown to users

    def __post_init__(self) -> None:
        _check(self.kind, EVIDENCE_KINDS, "EvidenceFact", "kind")
        if isinstance(self.sources, str):
            raise ValueError("EvidenceFact.sources must be a sequence of strings, not a string")
        _set(self, "sources", tuple(self.sources))


@dataclass(frozen=True)
class TaskFact:
    """A task with its provisions, competence requirements, explicit rules and typical current holders."""

    slug: str
    title: str
    category: str
    provisions: tuple[ProvisionFact, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    rules: tuple[RuleFact, ...] = ()
    holders: frozenset[str] = frozenset()
    evidence: tuple[EvidenceFact, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "provisions", tuple(self.provisions))
        _set(self, "requirements", tuple(self.requirements))
        _set(self, "rules", tuple(self.rules))
        _set(self, "holders", frozenset(self.holders))
        _set(self, "evidence", tuple(self.evidence))


@dataclass(frozen=True)
class ProfessionFact:
    """A profession; ``parent`` links a specialisation (specialsygeplejerske → sygeplejerske).

    ``competences`` is what the basic education gives — the adapter should include inherited ones; the engine
    does not merge the parent's competences.
    """

    slug: str
    name: str
    parent: str | None = None
    competences: frozenset[str] = frozenset()
    shortage_level: str = "unknown"
    education_level: int = 0

    def __post_init__(self) -> None:
        _check(self.shortage_level, SHORTAGE_LEVELS, "ProfessionFact", "shortage_level")
        _set(self, "competences", frozenset(self.competences))
        if self.parent == self.slug:
            raise ValueError(f"ProfessionFact {self.slug!r} cannot be its own parent")

    def covers(self, group: str | None) -> bool:
        """True when ``group`` is this profession or its parent."""
        return group is not None and (group == self.slug or group == self.parent)


@dataclass(frozen=True)
class EducationFact:
    """A continuing/further education offer and the competences it gives."""

    slug: str
    name: str
    competences: frozenset[str]
    target_professions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _set(self, "competences", frozenset(self.competences))
        _set(self, "target_professions", frozenset(self.target_professions))


@dataclass(frozen=True)
class TrainingFact:
    """How a competence is gained by a group that lacks it (issue 19): ``effort`` oplæring (on the job), kursus (a
    course) or uddannelse (only a further or different education), ``hours`` typically. The group's basic education
    bounds it: below ``min_level`` (a profession's education level, 0–6) or without every ``basis`` competence,
    only an education closes it — a piccoline is not trained into clinical observation on the job."""

    competence: str
    effort: str
    hours: int | None = None
    min_level: int = 0
    basis: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _check(self.effort, COMPETENCE_TRAINING, "TrainingFact", "effort")
        if self.hours is not None and (isinstance(self.hours, bool) or not isinstance(self.hours, int)
                                       or self.hours < 0):
            raise ValueError(f"TrainingFact {self.competence!r}: hours must be a whole number >= 0 or None")
        if not isinstance(self.min_level, int) or not 0 <= self.min_level <= 6:
            raise ValueError(f"TrainingFact {self.competence!r}: min_level must be 0-6; got {self.min_level!r}")
        _set(self, "basis", frozenset(self.basis))

    def effort_for(self, profession: ProfessionFact) -> str:
        """The effort for this group: the curated one, or uddannelse where its basic education does not reach."""
        if profession.education_level < self.min_level or not self.basis <= profession.competences:
            return "uddannelse"
        return self.effort


DELEGATION_ROLES = frozenset({"delegation", "ramme_instruction", "duties", "unreserved"})


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True, eq=False)
class Knowledge:
    """Look-up data shared by all verdicts: names, education offers and the general delegation provisions.

    ``delegation_provisions`` roles: ``delegation`` (BEK 1219: the right to use medhjælp), ``ramme_instruction``
    (rammedelegation needs a skriftlig instruks), ``duties`` (the delegator's udvælgelse, instruktion og tilsyn),
    ``unreserved`` (autorisationsloven § 73: freedom to treat when nothing is reserved). All optional.
    """

    competence_names: Mapping[str, str] = field(default_factory=dict)
    educations: tuple[EducationFact, ...] = ()
    profession_names: Mapping[str, str] = field(default_factory=dict)
    delegation_provisions: Mapping[str, ProvisionFact] = field(default_factory=dict)
    organisation_names: Mapping[str, str] = field(default_factory=dict)
    training: Mapping[str, TrainingFact] = field(default_factory=dict)  # competence slug → how it is gained

    def __post_init__(self) -> None:
        unknown = set(self.delegation_provisions) - DELEGATION_ROLES
        if unknown:
            raise ValueError(
                f"Knowledge.delegation_provisions has unknown role(s) {sorted(unknown)}; "
                f"allowed: {', '.join(sorted(DELEGATION_ROLES))}"
            )
        _set(self, "competence_names", _frozen_mapping(self.competence_names))
        _set(self, "profession_names", _frozen_mapping(self.profession_names))
        _set(self, "organisation_names", _frozen_mapping(self.organisation_names))
        _set(self, "delegation_provisions", _frozen_mapping(self.delegation_provisions))
        _set(self, "training", _frozen_mapping(self.training))
        _set(self, "educations", tuple(self.educations))
        by_competence: dict[str, list[EducationFact]] = {}
        for e in self.educations:
            for c in e.competences:
                by_competence.setdefault(c, []).append(e)
        _set(self, "_offers_by_competence", {c: tuple(es) for c, es in by_competence.items()})
        _set(self, "_offers_for", {})  # (competence, profession, parent) → ordered offers; Knowledge is immutable

    def offers_for(self, competence: str, profession: ProfessionFact) -> tuple[tuple[str, str], ...]:
        """(slug, name) of the education offers giving ``competence``: those targeting the profession (or its
        parent) first, then by name and slug."""
        key = (competence, profession.slug, profession.parent)
        found = self._offers_for.get(key)
        if found is None:
            offers = sorted(self._offers_by_competence.get(competence, ()),
                            key=lambda e: (not any(profession.covers(t) for t in e.target_professions), e.name, e.slug))
            found = self._offers_for[key] = tuple(dict.fromkeys((e.slug, e.name) for e in offers))
        return found

    def competence_name(self, slug: str) -> str:
        return self.competence_names.get(slug, slug)

    def profession_name(self, slug: str) -> str:
        return self.profession_names.get(slug, slug)

    def organisation_name(self, slug: str) -> str:
        return self.organisation_names.get(slug, slug)


@dataclass(frozen=True)
class Context:
    """The situation asked about: care setting, patient complexity, the date the law is read on, and the
    organisation (region or municipality) whose own agreements count — with ``organisation_parents`` its region.
    Without an organisation only the law and national agreements count."""

    setting: str | None = None
    complexity: str | None = None
    on: date = field(default_factory=date.today)
    organisation: str | None = None
    organisation_parents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.setting is not None and (not isinstance(self.setting, str) or not self.setting.strip()):
            raise ValueError(f"Context.setting must be a non-empty string or None; got {self.setting!r}")
        if self.organisation is not None and (not isinstance(self.organisation, str) or not self.organisation.strip()):
            raise ValueError(f"Context.organisation must be a non-empty string or None; got {self.organisation!r}")
        if self.organisation is None and self.organisation_parents:
            raise ValueError("Context.organisation_parents needs an organisation")
        _check(self.complexity, COMPLEXITIES, "Context", "complexity", optional=True)
        _set(self, "on", _as_date(self.on, "Context", "on", optional=False))
        _set(self, "organisation_parents", tuple(self.organisation_parents))

    def covers_organisation(self, organisation: str | None) -> bool:
        """A national fact (None) holds everywhere; an organisation's only in it or in a municipality under it."""
        return organisation is None or organisation == self.organisation or organisation in self.organisation_parents
