"""The shape of seed/*.yaml, validated with pydantic so every error names its entry and field.

Documented for editors in seed/README.md; keep the two in step.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Slug = str


def check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"'{value}' er ikke en gyldig slug (små bogstaver a-z, cifre og bindestreger; æ→ae, ø→oe, å→aa)")
    return value


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


class Source(Strict):
    slug: Slug
    title: str
    file: str
    publisher: str = ""
    year: Optional[int] = None
    description: str = ""
    _slug = field_validator("slug")(check_slug)


class Competence(Strict):
    slug: Slug
    name: str
    name_en: str = ""
    kind: Literal["knowledge", "skill"] = "skill"
    description: str = ""
    _slug = field_validator("slug")(check_slug)


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
    shortage_level: Literal["none", "low", "moderate", "high", "unknown"] = "unknown"
    description: str = ""
    settings: list[Slug] = []
    competences: list[Slug] = []
    shortage: list[Shortage] = []
    sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    @field_validator("isco08", "register_code", mode="before")
    @classmethod
    def as_text(cls, value):
        return "" if value is None else str(value)


class ProvisionIn(Strict):
    slug: Slug
    reference: str
    title: str = ""
    summary: str = ""
    url: str
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    effect: Literal["reserves", "never_delegable", "requires_written_instruction", "other"] = "other"
    reserved_to: list[Slug] = []
    kind: Optional[Literal["legal", "organisational"]] = None
    verified: Optional[bool] = None
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
        return self


class LegalAct(Strict):
    slug: Slug
    short_name: str
    title: str = ""
    reference: str = ""
    url: str
    kind: Literal["legal", "organisational"] = "legal"
    verified: bool = False
    verification_note: str = ""
    provisions: list[ProvisionIn] = []
    _slug = field_validator("slug")(check_slug)


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

    @field_validator("price", "length", mode="before")
    @classmethod
    def as_text(cls, value):
        return "" if value is None else str(value)


class Requirement(Strict):
    competence: Slug
    level: Literal["required", "desirable"] = "required"
    complexity: Optional[Literal["uncomplicated", "complex"]] = None


class EvidenceIn(Strict):
    taker: Slug
    from_: Optional[Slug] = Field(default=None, alias="from")
    kind: Literal["proposal", "practice", "pilot", "evaluation"] = "proposal"
    summary: str
    sources: list[Citation] = Field(min_length=1)


class StandaloneEvidence(EvidenceIn):
    task: Slug


class Task(Strict):
    slug: Slug
    title: str = Field(min_length=3, max_length=300)
    title_en: str = ""
    category: Literal["administrative", "clinical", "coordination"]
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
    profession: Slug
    effect: Literal["allow", "deny", "conditions"]
    kind: Literal["legal", "organisational"]
    provision: Optional[Slug] = None
    setting: Optional[Slug] = None
    complexity: Optional[Literal["uncomplicated", "complex"]] = None
    conditions: list[str] = []
    note: str = ""
    sources: list[Citation] = []
    _slug = field_validator("slug")(check_slug)

    @model_validator(mode="after")
    def legal_cites(self) -> "RuleIn":
        if self.kind == "legal" and not self.provision:
            raise ValueError("en juridisk regel skal henvise til en bestemmelse (provision)")
        return self


class SynonymIn(Strict):
    term: str
    equivalents: list[str] = Field(min_length=1)
    kind: Literal["synonym", "abbreviation"] = "synonym"


# Section name → entry model, in the order the loader applies them (references point backwards).
SECTIONS: dict[str, type[BaseModel]] = {
    "settings": Setting,
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
