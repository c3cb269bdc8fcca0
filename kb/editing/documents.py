"""Records as documents: one dict shape for a record, shared by the seed files, editors' drafts, history, and
spreadsheet import/export.

A document is what the seed schema (kb/seeding/schema.py) accepts for one entry, so a draft is validated by the
same rules as seed/*.yaml, and publishing a draft is the seed loader upserting one entry. `to_document` reads a
record back into that shape; `apply_document` checks it (fields, then references against the database) and
writes it. Deleting is not offered: records are retired (a task's status) so history and citations stay whole.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from kb import models as m
from kb.seeding import schema
from kb.seeding.bundle import Entry, Origin, SeedBundle, SeedError, SeedErrors, check_line_ranges, check_references
from kb.seeding.loader import Loader, reports_dir


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


class DocumentError(SeedErrors):
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
            "description": c.description or ""}


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


# -- document → record ---------------------------------------------------------------------------------------

_PYDANTIC_DA = {
    "missing": "skal udfyldes",
    "string_too_short": "er for kort",
    "string_too_long": "er for lang",
    "too_short": "skal have mindst ét element",
    "literal_error": "skal være en af de tilladte værdier",
    "bool_parsing": "skal være ja eller nej",
    "bool_type": "skal være ja eller nej",
    "int_parsing": "skal være et heltal",
    "int_type": "skal være et heltal",
    "float_parsing": "skal være et tal",
    "greater_than_equal": "er for lille",
    "less_than_equal": "er for stor",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "extra_forbidden": "er ikke et kendt felt",
}


def _danish(err: dict) -> str:
    """Pydantic's message in Danish where we know the type; our own validators already speak Danish."""
    if err["type"] == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if err["type"] == "literal_error" and "expected" in err.get("ctx", {}):
        return f"skal være en af {err['ctx']['expected']}"
    return _PYDANTIC_DA.get(err["type"], err["msg"])


def validate(kind: str, data: dict[str, Any], origin: str = "") -> BaseModel:
    """Check a document's fields; raise DocumentError naming each field (dotted path) with a Danish message."""
    try:
        return KINDS[kind].schema.model_validate(data)
    except ValidationError as exc:
        raise DocumentError([SeedError(origin or kind, ".".join(str(x) for x in e["loc"]), _danish(e))
                             for e in exc.errors()]) from None


def _known(session: Session) -> dict[str, set[str]]:
    """Every slug a reference may point at, from the database."""
    def slugs(model) -> set[str]:
        return set(session.scalars(sa.select(model.slug)))

    return {"setting": slugs(m.Setting), "document": slugs(m.SourceDocument), "competence": slugs(m.Competence),
            "profession": slugs(m.Profession), "provision": slugs(m.Provision), "task": slugs(m.Task),
            "organisation": slugs(m.Organisation)}


def bundle_of(session: Session, items: list[tuple[str, dict[str, Any], str]],
              extra_known: dict[str, set[str]] | None = None) -> SeedBundle:
    """Validate documents [(kind, data, origin)] into a bundle, references checked against the database and the
    bundle itself (and `extra_known`: slugs that may be referred to although not in the database, such as new
    records still in review). Raises DocumentError with every problem found."""
    bundle, errors = SeedBundle(), []
    acts: dict[str, Entry] = {}
    # Acts before provisions, so a provision edited in the same batch as its act lands inside that act's entry.
    for kind, data, origin in sorted(items, key=lambda item: item[0] == "provision"):
        try:
            doc = validate(kind, data, origin)
        except DocumentError as exc:
            errors.extend(exc.errors)
            continue
        where = Origin(origin or kind, KINDS[kind].section, 0, getattr(doc, "slug", ""))
        if kind == "provision":
            entry = acts.get(doc.act)
            if entry is None:
                act = find(session, "legal_act", doc.act)
                if act is None:
                    errors.append(SeedError(where, "act", f"ukendt retsakt '{doc.act}'"))
                    continue
                entry = Entry(schema.LegalAct.model_validate(_legal_act(act)), where)
                acts[doc.act] = entry
                bundle.sections["legal_acts"].append(entry)
            provision = schema.ProvisionIn.model_validate(doc.model_dump(exclude={"act"}))
            others = [p for p in entry.data.provisions if p.slug != doc.slug]
            entry.data = entry.data.model_copy(update={"provisions": others + [provision]})
            continue
        entry = Entry(doc, where)
        if kind == "legal_act":
            acts[doc.slug] = entry
        bundle.sections[KINDS[kind].section].append(entry)
    if errors:
        raise DocumentError(errors)
    known = _known(session)
    for key, slugs in (extra_known or {}).items():
        known[key] = known.get(key, set()) | set(slugs)
    problems = check_references(bundle, known)
    if not problems:  # every cited report exists: now its line ranges, against the report's length
        lengths = dict(session.execute(sa.select(m.SourceDocument.slug, m.SourceDocument.line_count)).all())
        problems = check_line_ranges(bundle, reports_dir(), known=lengths, refuse_unknown=True)
    if problems:
        raise DocumentError(problems)
    return bundle


def apply_documents(session: Session, items: list[tuple[str, dict[str, Any], str]]) -> Counter:
    """Write validated documents through the seed loader (upsert by slug). Flushes, does not commit; the
    caller owns the transaction so a batch is all-or-nothing. Returns the loader's change counts."""
    from kb.search import reindex

    bundle = bundle_of(session, items)
    with session.no_autoflush:
        changes = Loader(session, bundle).run()
    reindex(session)
    return changes


def apply_document(session: Session, kind: str, data: dict[str, Any]) -> Counter:
    return apply_documents(session, [(kind, data, kind)])
