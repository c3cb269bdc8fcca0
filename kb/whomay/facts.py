"""The catalogue (professions, competences, offers, organisations, the delegation provisions) as the engine's facts,
in a fixed number of queries however large it is, and the engine's context. Tasks: kb.whomay.task_facts."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.knowledge_state import cached
from kb.models.education import education_competence, education_target
from kb.models.competence import competence_basis
from kb.rules import Context, EducationFact, Knowledge, ProfessionFact, TrainingFact
from kb.whomay.task_facts import provision_facts

# The general provisions the engine cites when it explains delegation and freedom to treat (seed slugs).
DELEGATION_PROVISION_SLUGS = {
    "delegation": "bek1219-delegation",
    "ramme_instruction": "bek1219-instruks",
    "duties": "bek1219-pligter",
    "unreserved": "aut-73",
}


@dataclass(frozen=True)
class Catalogue:
    """Everything a verdict needs besides the task: professions and shared knowledge."""

    professions: tuple[ProfessionFact, ...]
    knowledge: Knowledge
    names_en: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # kind → slug → English name
    organisations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # slug → its parents (its region)

    def profession(self, slug: str) -> ProfessionFact | None:
        return next((p for p in self.professions if p.slug == slug), None)

    def display(self, kind: str, slug: str, danish: str) -> str:
        """The English name of a profession/competence/education when the UI is English and one is known."""
        from kb.i18n import english

        return (english() and self.names_en.get(kind, {}).get(slug)) or danish

    def display_name(self, slug: str) -> str:
        """A profession's name in the UI language (the engine's names are Danish)."""
        return self.display("profession", slug, self.knowledge.profession_name(slug))


def _slug_sets(link: sa.Table, owner: str, target: type) -> dict[int, set[str]]:
    """owner id → slugs of the linked rows, from one association table in one query."""
    out: dict[int, set[str]] = {}
    key = "profession_id" if target is m.Profession else "competence_id"
    for owner_id, slug in db.session.execute(
            sa.select(link.c[owner], target.slug).join(target, target.id == link.c[key])):
        out.setdefault(owner_id, set()).add(slug)
    return out


def load_catalogue() -> Catalogue:
    """Professions, competences, education offers and the delegation provisions; built once per process and
    knowledge version (kb.knowledge_state), since every task page and who-may call needs all of it."""
    return cached(db.session, "whomay.catalogue", "", _build_catalogue, patch=_same_catalogue)


def _same_catalogue(old: Catalogue, scope) -> Catalogue | None:
    """Tasks, rules and ordinary provisions are not in the catalogue (a delegation provision's change has no scope:
    kb/knowledge/scope.py), so after those the kept catalogue still holds."""
    return old if scope.within("task", "rule", "provision") else None


def _build_catalogue() -> Catalogue:
    # Plain column queries, not ORM entities: the catalogue is read on every task page and who-may call, and on a
    # national-size catalogue building thousands of Profession/Competence/Education objects (and their
    # collections) cost ~20 times the engine's own time (docs/benchmark.md).
    rows = db.session.execute(sa.select(
        m.Profession.id, m.Profession.slug, m.Profession.name, m.Profession.name_en, m.Profession.parent_id,
        m.Profession.shortage_level, m.Profession.education_level)).all()
    slug_of = {r.id: r.slug for r in rows}
    own = _slug_sets(m.ProfessionCompetence.__table__, "profession_id", m.Competence)

    def competences(r) -> frozenset[str]:
        # A specialisation holds what its parent's basic education gives, plus its own.
        return frozenset(own.get(r.id, set()) | (own.get(r.parent_id, set()) if r.parent_id else set()))

    professions = tuple(
        ProfessionFact(slug=r.slug, name=r.name, parent=slug_of.get(r.parent_id) if r.parent_id else None,
                       competences=competences(r), shortage_level=r.shortage_level,
                       education_level=r.education_level)
        for r in sorted(rows, key=lambda r: r.slug))
    educations = db.session.execute(sa.select(m.Education.id, m.Education.slug, m.Education.name,
                                              m.Education.name_en)).all()
    gives = _slug_sets(education_competence, "education_id", m.Competence)
    targets = _slug_sets(education_target, "education_id", m.Profession)
    by_slug = {p.slug: p for p in provision_facts().values() if p.slug in DELEGATION_PROVISION_SLUGS.values()}
    competence_rows = db.session.execute(sa.select(m.Competence.slug, m.Competence.name, m.Competence.name_en)).all()
    training = _training()
    orgs = db.session.scalars(sa.select(m.Organisation).options(selectinload(m.Organisation.parent))).all()
    knowledge = Knowledge(
        competence_names={slug: name for slug, name, _ in competence_rows},
        educations=tuple(EducationFact(slug=e.slug, name=e.name, competences=frozenset(gives.get(e.id, ())),
                                       target_professions=frozenset(targets.get(e.id, ())))
                         for e in educations),
        profession_names={r.slug: r.name for r in rows},
        delegation_provisions={role: by_slug[s] for role, s in DELEGATION_PROVISION_SLUGS.items() if s in by_slug},
        organisation_names={o.slug: o.name for o in orgs},
        training=training,
    )
    names_en = {"profession": {r.slug: r.name_en for r in rows if r.name_en},
                "competence": {slug: en for slug, _, en in competence_rows if en},
                "education": {e.slug: e.name_en for e in educations if e.name_en},
                "organisation": {o.slug: o.name_en for o in orgs if o.name_en}}
    # Read-only views: the catalogue is shared by every request of the process (kb/caches.py).
    return Catalogue(professions=professions, knowledge=knowledge,
                     names_en=MappingProxyType({k: MappingProxyType(v) for k, v in names_en.items()}),
                     organisations=MappingProxyType({o.slug: tuple(o.chain()[1:]) for o in orgs}))


def _training() -> dict[str, TrainingFact]:
    """How each curated competence is gained (competence.training_*), with the basis it builds on."""
    c, basis_c = m.Competence.__table__, competence_basis.c
    basis: dict[int, set[str]] = {}
    for owner, slug in db.session.execute(
            sa.select(basis_c.competence_id, m.Competence.slug).join(m.Competence, m.Competence.id == basis_c.basis_id)):
        basis.setdefault(owner, set()).add(slug)
    rows = db.session.execute(sa.select(c.c.id, c.c.slug, c.c.training_effort, c.c.training_hours,
                                        c.c.training_min_level).where(c.c.training_effort.is_not(None))).all()
    return {r.slug: TrainingFact(competence=r.slug, effort=r.training_effort, hours=r.training_hours,
                                 min_level=r.training_min_level, basis=frozenset(basis.get(r.id, ())))
            for r in rows}


def make_context(setting: str | None = None, complexity: str | None = None, on: date | None = None,
                 organisation: str | None = None) -> Context:
    """The engine's context; an organisation brings its region along (a region's agreements hold in its
    municipalities). An unknown organisation is the caller's to refuse (``parse_context``)."""
    parents = load_catalogue().organisations.get(organisation, ()) if organisation else ()
    return Context(setting=setting or None, complexity=complexity or None, on=on or date.today(),
                   organisation=organisation or None, organisation_parents=parents)
