"""The shape of seed/*.yaml, validated with pydantic so every error names its entry and field.

Documented for editors in seed/README.md; keep the two in step.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kb.official_sources import official_problem
from kb.rules.vocabulary import (
    COMPETENCE_KINDS, COMPETENCE_TRAINING, COMPLEXITIES, EVIDENCE_KINDS, KINDS, PROVISION_EFFECTS, REQUIREMENT_LEVELS,
    RULE_EFFECTS, SHORTAGE_LEVELS, TASK_CATEGORIES,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Slug = str


def check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"'{value}' er ikke en gyldig slug (små bogstaver a-z, cifre og bindestreger; æ→ae, ø→oe, å→aa)")
    return value


def as_text(value):
    """A spreadsheet or YAML number (an ISCO code, a price) read as the text it is; nothing as empty text."""
    return "" if value is None else str(value)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Citation(Strict):
    document: Optional[Slug] = None
    lines: Optional[list[int]] = None
    provision: Optional[Slug] = None
    url: Optional[str] = None
    note: str = ""

    @model_validator(mode="after")
    def one_target(self) -> "Citation":
        targets = [x for x in (self.document, self.provision, self.url) if x]
        if len(targets) != 1:
            raise ValueError("en kilde skal have præcis én af document, provision eller url")
        if self.lines is not None:
            if self.document is None:
                raise ValueError("lines kræver document")
            if len(self.lines) != 2 or not 1 <= self.lines[0] <= self.lines[1]:
                raise ValueError("lines skal være [fra, til] med 1 ≤ fra ≤ til")
        if self.document and self.lines is None:
            raise ValueError("en henvisning til en rapport skal have lines: [fra, til]")
        if self.url and not self.url.startswith(("https://", "http://")):
            raise ValueError("url skal begynde med https:// eller http://")
        return self


class Setting(Strict):
    slug: Slug
    name: str
    name_en: str = ""
    _slug = field_validator("slug")(check_slug)


class Organisation(Strict):
    """A region or municipality whose own agreements and instructions (organisational rules) apply to it."""
    slug: Slug
    name: str
    name_en: str = ""
    kind: Literal["region", "municipality"]
    parent: Optional[Slug] = None  # the region a municipality lies in
    _slug = field_validator("slug")(check_slug)


class Source(Strict):
    slug: Slug
    title: str
    file: str
    publisher: str = ""
    year: Optional[int] = None
    description: str = ""
    url: str = ""  # the publisher's public address of the report
    _slug = field_validator("slug")(check_slug)

    @field_validator("url")
    @classmethod
    def web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("url skal begynde med https:// eller http://")
        return value


TRAINING_FIELDS = {"effort": "training_effort", "hours": "training_hours", "min_level": "training_min_level",
                   "basis": "training_basis", "note": "training_note", "sources": "training_sources"}


class Competence(Strict):
    """A competence, and how a group that lacks it gains it (kb.rules.facts.TrainingFact): ``training_effort``
    oplæring, kursus or uddannelse, typical ``training_hours``, the education level (``training_min_level``) and the
    ``training_basis`` competences it builds on, why (``training_note``) and where that is said
    (``training_sources``). Flat, one field a column, for forms and spreadsheets; seed YAML may group them under
    ``training:`` without the prefix."""

    slug: Slug
    name: str
    name_en: str = ""
    kind: Literal[COMPETENCE_KINDS] = "skill"
    description: str = ""
    training_effort: Optional[Literal[COMPETENCE_TRAINING]] = None
    training_hours: Optional[int] = Field(default=None, ge=0, le=10_000, validate_default=True)
    training_min_level: int = Field(default=0, ge=0, le=6)
    training_basis: list[Slug] = []
    training_note: str = ""
    training_sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    @model_validator(mode="before")
    @classmethod
    def grouped_training(cls, value):
        if isinstance(value, dict) and isinstance(value.get("training"), dict):
            value = dict(value)
            grouped = value.pop("training")
            unknown = set(grouped) - set(TRAINING_FIELDS)
            if unknown:
                raise ValueError(f"training: ukendte felter {', '.join(sorted(unknown))}")
            value.update({TRAINING_FIELDS[k]: v for k, v in grouped.items()})
        return value

    @field_validator("training_hours")
    @classmethod
    def hours_for_training(cls, value, info):
        effort = info.data.get("training_effort")
        if effort is None and value is not None:
            raise ValueError("vælg først, hvordan kompetencen opnås (oplæring, kursus eller uddannelse)")
        if effort in ("oplæring", "kursus") and value is None:
            raise ValueError("angiv det typiske antal timer for oplæring eller kursus")
        return value

    @field_validator("training_basis")
    @classmethod
    def basis_of_another(cls, value, info):
        if value and info.data.get("training_effort") is None:
            raise ValueError("vælg først, hvordan kompetencen opnås (oplæring, kursus eller uddannelse)")
        if info.data.get("slug") in value:
            raise ValueError("en kompetence kan ikke bygge på sig selv")
        return value


class Shortage(Strict):
    metric: str
    value: Optional[float] = None
    unit: str = ""
    year: Optional[int] = None
    note: str = ""
    sources: list[Citation] = Field(min_length=1)


class Profession(Strict):
    slug: Slug
    name: str
    name_en: str = ""
    abbreviation: str = ""
    parent: Optional[Slug] = None
    authorised: bool
    title_protected: bool
    has_reserved_area: bool
    legal_basis: str = ""
    isco08: str = ""
    register_code: str = ""
    education_name: str = ""
    education_length: str = ""
    education_level: int = Field(ge=0, le=6)
    shortage_level: Literal[SHORTAGE_LEVELS] = "unknown"
    description: str = ""
    settings: list[Slug] = []
    competences: list[Slug] = []
    shortage: list[Shortage] = []
    sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    _text = field_validator("isco08", "register_code", mode="before")(as_text)


class ProvisionIn(Strict):
    slug: Slug
    reference: str
    title: str = ""
    summary: str = ""
    url: str
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    effect: Literal[PROVISION_EFFECTS] = "other"
    reserved_to: list[Slug] = []
    scope: str = ""  # the part of a task the right covers (særligt lovhjemlet), shown as a condition
    complexity: Optional[Literal[COMPLEXITIES]] = None  # the provision holds only at this complexity
    organisation: Optional[Slug] = None  # organisational provisions: the region/municipality (default: the act's)
    kind: Optional[Literal[KINDS]] = None
    verified: Optional[bool] = None
    verified_source: str = ""  # the official text it was checked against
    verified_on: Optional[date] = None
    verification_note: str = ""
    _slug = field_validator("slug")(check_slug)

    @model_validator(mode="after")
    def consistent(self) -> "ProvisionIn":
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from skal ligge før eller på valid_to")
        if self.effect == "reserves" and not self.reserved_to:
            raise ValueError("en bestemmelse med effect: reserves skal angive reserved_to")
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("url skal begynde med https:// eller http://")
        if self.verified and self.kind is not None:  # silent on kind: the act's check below decides
            problem = official_problem(True, self.verified_source, self.verified_on,
                                       organisational=self.kind == "organisational")
            if problem:
                raise ValueError(problem)
        return self


class LegalAct(Strict):
    slug: Slug
    short_name: str
    title: str = ""
    reference: str = ""  # the act's number: LBK nr. … af …, BEK nr. …, VEJ nr. …, lov nr. …
    url: str
    kind: Literal[KINDS] = "legal"
    organisation: Optional[Slug] = None  # organisational acts: whose agreement or instruction it is
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    verified: bool = False
    verified_source: str = ""
    verified_on: Optional[date] = None
    verification_note: str = ""
    provisions: list[ProvisionIn] = []
    _slug = field_validator("slug")(check_slug)

    @model_validator(mode="after")
    def verified_officially(self) -> "LegalAct":
        """Verified only against an official text, with the date: the act itself and each provision, which
        inherits the act's verification (and source and date) when it says nothing of its own."""
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from skal ligge før eller på valid_to")
        problem = official_problem(self.verified, self.verified_source, self.verified_on,
                                   organisational=self.kind == "organisational")
        if problem:
            raise ValueError(problem)
        for p in self.provisions:
            verified = self.verified if p.verified is None else p.verified
            source = p.verified_source or (self.verified_source if p.verified is None else "")
            on = p.verified_on or (self.verified_on if p.verified is None else None)
            problem = official_problem(verified, source, on, organisational=(p.kind or self.kind) == "organisational")
            if problem:
                raise ValueError(f"bestemmelse {p.slug}: {problem}")
        return self


class Education(Strict):
    slug: Slug
    name: str
    name_en: str = ""
    provider: str = ""
    level: str = ""
    ects: Optional[float] = Field(default=None, ge=0)
    length: str = ""
    price: str = ""
    entry_requirements: str = ""
    url: str = ""
    description: str = ""
    competences: list[Slug] = Field(min_length=1)
    target_professions: list[Slug] = []
    sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    _text = field_validator("price", "length", mode="before")(as_text)


class Requirement(Strict):
    competence: Slug
    level: Literal[REQUIREMENT_LEVELS] = "required"
    complexity: Optional[Literal[COMPLEXITIES]] = None


class EvidenceIn(Strict):
    taker: Slug
    from_: Optional[Slug] = Field(default=None, alias="from")
    kind: Literal[EVIDENCE_KINDS] = "proposal"
    summary: str
    sources: list[Citation] = Field(min_length=1)


class StandaloneEvidence(EvidenceIn):
    task: Slug


class Task(Strict):
    slug: Slug
    title: str = Field(min_length=3, max_length=300)
    title_en: str = ""
    category: Literal[TASK_CATEGORIES]
    description: str = ""
    settings: list[Slug] = []
    holders: list[Slug] = []
    terms: list[str] = []
    tags: list[str] = []
    status: Literal["draft", "published"] = "published"
    requirements: list[Requirement] = []
    provisions: list[Slug] = []
    sources: list[Citation] = Field(min_length=1)
    evidence: list[EvidenceIn] = []
    _slug = field_validator("slug")(check_slug)

    @field_validator("terms", "tags", mode="before")
    @classmethod
    def strings(cls, value):
        return [str(v) for v in value] if isinstance(value, list) else value


class RuleIn(Strict):
    slug: Slug
    task: Slug
    profession: Optional[Slug] = None
    all_professions: bool = False  # a rule that names groups in words: "all but physicians"
    except_professions: list[Slug] = []
    effect: Literal[RULE_EFFECTS]
    kind: Literal[KINDS]
    provision: Optional[Slug] = None
    setting: Optional[Slug] = None
    complexity: Optional[Literal[COMPLEXITIES]] = None
    organisation: Optional[Slug] = None  # organisational rules: where they hold (default: the provision's)
    conditions: list[str] = []
    note: str = ""
    sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    @model_validator(mode="after")
    def legal_cites(self) -> "RuleIn":
        if self.kind == "legal" and not self.provision:
            raise ValueError("en juridisk regel skal henvise til en bestemmelse (provision)")
        if self.effect == "delegation" and self.kind != "legal":
            raise ValueError("effect: delegation (særlig hjemmel til at være medhjælp) kan kun være lovbestemt")
        if bool(self.profession) == self.all_professions:
            raise ValueError("en regel gælder enten én faggruppe (profession) eller alle (all_professions: true)")
        if self.except_professions and not self.all_professions:
            raise ValueError("except_professions kræver all_professions: true")
        return self


class SynonymIn(Strict):
    term: str
    equivalents: list[str] = Field(min_length=1)
    kind: Literal["synonym", "abbreviation"] = "synonym"


# Section name → entry model, in the order the loader applies them (references point backwards).
SECTIONS: dict[str, type[BaseModel]] = {
    "settings": Setting,
    "organisations": Organisation,
    "sources": Source,
    "competences": Competence,
    "professions": Profession,
    "legal_acts": LegalAct,
    "educations": Education,
    "tasks": Task,
    "evidence": StandaloneEvidence,
    "rules": RuleIn,
    "synonyms": SynonymIn,
}
