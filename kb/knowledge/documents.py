"""Records as documents: one dict shape for a record, shared by the seed files, editors' drafts, history, backups
and spreadsheet import/export. This module owns the shape: the kinds, the reader record → document, and its format
version.

A document is what the seed schema (kb/knowledge/schema.py) accepts for one entry, so a draft is validated by the
same rules as seed/*.yaml (kb/knowledge/checks.py), and publishing it is the one write path (kb/knowledge/publish.py).
Deleting is not offered: records are retired (a task's status) so history and citations stay whole.

The shape is versioned (``FORMAT``): every stored document (a draft, a published revision) records the format it
was written in, and :func:`current` brings an older one up to date through ``UPGRADES`` before it is used. Change
the shape → raise FORMAT and add the step that turns the old shape into the new (CONTRIBUTING.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session, selectinload

from kb import models as m
from kb.knowledge import schema
from kb.knowledge.bundle import SeedError, SeedErrors

FORMAT = 1  # the document shape's version; stored beside every draft and published revision
# format n → the step that turns a document of format n into format n + 1 (none yet: 1 is the first)
UPGRADES: dict[int, Callable[[str, dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class Kind:
    """One kind of record editors work on: its table, its seed section and entry schema."""

    name: str
    model: type
    section: str
    schema: type[BaseModel]


class ProvisionDocument(schema.ProvisionIn):
    """A provision edited on its own: the seed's provision entry plus the act it belongs to."""

    act: schema.Slug


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("task", m.Task, "tasks", schema.Task),
    Kind("profession", m.Profession, "professions", schema.Profession),
    Kind("competence", m.Competence, "competences", schema.Competence),
    Kind("education", m.Education, "educations", schema.Education),
    Kind("legal_act", m.LegalAct, "legal_acts", schema.LegalAct),
    Kind("provision", m.Provision, "legal_acts", ProvisionDocument),
    Kind("rule", m.Rule, "rules", schema.RuleIn),
)}


class DocumentError(SeedErrors):  # noqa: N818 - the seed's error family
    """Field-level problems with a document: `errors` is a list of SeedError(origin, field_name, message)."""

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field_name or "", []).append(e.message)
        return out


# -- record → document ---------------------------------------------------------------------------------------

def _citation(c: m.SourceCitation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if c.document is not None:
        out["document"], out["lines"] = c.document.slug, [c.line_from, c.line_to]
    if c.provision is not None:
        out["provision"] = c.provision.slug
    if c.url:
        out["url"] = c.url
    if c.note:
        out["note"] = c.note
    return out


def _slugs(rows) -> list[str]:
    return sorted(r.slug for r in rows)


def _task(t: m.Task) -> dict[str, Any]:
    return {
        "slug": t.slug, "title": t.title, "title_en": t.title_en or "", "category": t.category,
        "description": t.description or "", "settings": _slugs(t.settings), "holders": _slugs(t.holders),
        "terms": [x.term for x in t.terms], "tags": list(t.tags or []), "status": t.status,
        "requirements": [{"competence": r.competence.slug, "level": r.level, "complexity": r.complexity}
                         for r in t.requirements],
        "provisions": _slugs(t.provisions), "sources": [_citation(c) for c in t.citations],
        "evidence": [{"taker": e.taker.slug, "from": e.from_profession.slug if e.from_profession else None,
                      "kind": e.kind, "summary": e.summary, "sources": [_citation(c) for c in e.citations]}
                     for e in t.evidence],
    }


def _profession(p: m.Profession) -> dict[str, Any]:
    return {
        "slug": p.slug, "name": p.name, "name_en": p.name_en or "", "abbreviation": p.abbreviation or "",
        "parent": p.parent.slug if p.parent else None, "authorised": p.authorised,
        "title_protected": p.title_protected, "has_reserved_area": p.has_reserved_area,
        "legal_basis": p.legal_basis or "", "isco08": p.isco08 or "", "register_code": p.register_code or "",
        "education_name": p.education_name or "", "education_length": p.education_length or "",
        "education_level": p.education_level, "shortage_level": p.shortage_level,
        "description": p.description or "", "settings": _slugs(p.settings), "competences": _slugs(p.competences),
        "shortage": [{"metric": s.metric, "value": s.value, "unit": s.unit or "", "year": s.year, "note": s.note or "",
                      "sources": [_citation(c) for c in s.citations]} for s in p.shortages],
        "sources": [_citation(c) for c in p.citations],
    }


def _competence(c: m.Competence) -> dict[str, Any]:
    return {"slug": c.slug, "name": c.name, "name_en": c.name_en or "", "kind": c.kind,
            "description": c.description or "", "training_effort": c.training_effort,
            "training_hours": c.training_hours, "training_min_level": c.training_min_level,
            "training_basis": _slugs(c.training_basis), "training_note": c.training_note or "",
            "training_sources": [_citation(x) for x in c.citations]}


def _education(e: m.Education) -> dict[str, Any]:
    return {
        "slug": e.slug, "name": e.name, "name_en": e.name_en or "", "provider": e.provider or "",
        "level": e.level or "", "ects": e.ects, "length": e.length or "", "price": e.price or "",
        "entry_requirements": e.entry_requirements or "", "url": e.url or "", "description": e.description or "",
        "competences": _slugs(e.competences), "target_professions": _slugs(e.target_professions),
        "sources": [_citation(c) for c in e.citations],
    }


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _provision(p: m.Provision, with_act: bool = True) -> dict[str, Any]:
    out = {
        "slug": p.slug, "reference": p.reference, "title": p.title or "", "summary": p.summary or "", "url": p.url,
        "valid_from": p.valid_from.isoformat() if p.valid_from else None,
        "valid_to": p.valid_to.isoformat() if p.valid_to else None, "effect": p.effect,
        "reserved_to": _slugs(p.reserved_to), "scope": p.scope or "", "complexity": p.complexity,
        "organisation": p.organisation.slug if p.organisation else None, "kind": p.kind, "verified": p.verified,
        "verified_source": p.verified_source or "", "verified_on": _iso(p.verified_on),
        "verification_note": p.verification_note or "",
    }
    if with_act:
        out["act"] = p.act.slug
    return out


def _legal_act(a: m.LegalAct) -> dict[str, Any]:
    return {"slug": a.slug, "short_name": a.short_name, "title": a.title or "", "reference": a.reference or "",
            "url": a.url, "kind": a.kind, "organisation": a.organisation.slug if a.organisation else None,
            "valid_from": _iso(a.valid_from), "valid_to": _iso(a.valid_to), "verified": a.verified,
            "verified_source": a.verified_source or "", "verified_on": _iso(a.verified_on),
            "verification_note": a.verification_note or "",
            "provisions": [_provision(p, with_act=False) for p in sorted(a.provisions, key=lambda p: p.slug)]}


def _rule(r: m.Rule) -> dict[str, Any]:
    return {"slug": r.slug, "task": r.task.slug, "profession": r.profession.slug if r.profession else None,
            "all_professions": r.profession is None, "except_professions": _slugs(r.exceptions),
            "organisation": r.organisation.slug if r.organisation else None, "effect": r.effect,
            "kind": r.kind, "provision": r.provision.slug if r.provision else None,
            "setting": r.setting.slug if r.setting else None, "complexity": r.complexity,
            "conditions": list(r.conditions or []), "note": r.note or "",
            "sources": [_citation(c) for c in r.citations]}


_READERS = {"task": _task, "profession": _profession, "competence": _competence, "education": _education,
            "legal_act": _legal_act, "provision": _provision, "rule": _rule}


def to_document(kind: str, record: Any) -> dict[str, Any]:
    """The record as a document (plain JSON-able dict in the seed schema's shape)."""
    return _READERS[kind](record)


def find(session: Session, kind: str, slug: str) -> Any | None:
    return session.scalar(sa.select(KINDS[kind].model).where(KINDS[kind].model.slug == slug))


def document_of(session: Session, kind: str, slug: str) -> dict[str, Any] | None:
    record = find(session, kind, slug)
    return None if record is None else to_document(kind, record)


def current(kind: str, document: dict[str, Any], version: int | None) -> dict[str, Any]:
    """``document`` in today's shape: upgraded step by step from format ``version`` (None: written before formats
    were recorded, i.e. format 1). A document from a newer format than this code knows is refused, not guessed at."""
    version = version or 1
    if version > FORMAT:
        raise DocumentError([SeedError(kind, "", f"dokumentet har format {version}, men denne version af Opgavebasen "
                                                 f"kender kun op til format {FORMAT}")])
    while version < FORMAT:
        document = UPGRADES[version](kind, document)
        version += 1
    return document


def revision_document(revision: m.Revision) -> dict[str, Any]:
    """A stored draft's or published version's document in today's shape."""
    return current(revision.entity_type, revision.data, revision.data_format)


# -- many records at once --------------------------------------------------------------------------------------

def _citations(attr):
    return (selectinload(attr).selectinload(m.SourceCitation.document),
            selectinload(attr).selectinload(m.SourceCitation.provision))


def _options(kind: str) -> list:
    """Eager loads so that reading a thousand records as documents takes a handful of queries, not thousands."""
    if kind == "task":
        ev = selectinload(m.Task.evidence)
        return [selectinload(m.Task.settings), selectinload(m.Task.holders), selectinload(m.Task.provisions),
                selectinload(m.Task.terms),
                selectinload(m.Task.requirements).selectinload(m.TaskRequirement.competence),
                *_citations(m.Task.citations), ev.selectinload(m.Evidence.taker),
                ev.selectinload(m.Evidence.from_profession),
                ev.selectinload(m.Evidence.citations).selectinload(m.SourceCitation.document),
                ev.selectinload(m.Evidence.citations).selectinload(m.SourceCitation.provision)]
    if kind == "profession":
        sh = selectinload(m.Profession.shortages)
        return [selectinload(m.Profession.parent), selectinload(m.Profession.settings),
                selectinload(m.Profession.competences), *_citations(m.Profession.citations),
                sh.selectinload(m.ProfessionShortage.citations).selectinload(m.SourceCitation.document),
                sh.selectinload(m.ProfessionShortage.citations).selectinload(m.SourceCitation.provision)]
    if kind == "competence":
        return [selectinload(m.Competence.training_basis), *_citations(m.Competence.citations)]
    if kind == "rule":
        return [selectinload(m.Rule.task), selectinload(m.Rule.profession), selectinload(m.Rule.provision),
                selectinload(m.Rule.setting), *_citations(m.Rule.citations)]
    return []


def records(session: Session, kind: str, slugs: set[str] | None = None) -> dict[str, Any]:
    """Records of a kind by slug (all, or those of ``slugs``), loaded for reading as documents."""
    model = KINDS[kind].model
    stmt = sa.select(model).options(*_options(kind)).order_by(model.slug)
    if slugs is not None:
        stmt = stmt.where(model.slug.in_(slugs))
    return {r.slug: r for r in session.scalars(stmt)}
