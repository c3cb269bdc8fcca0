"""Turn model objects into the JSON shapes of the API contract."""
from __future__ import annotations

from typing import Any

from kb.models import Evidence, Profession, Provision, Rule, SourceCitation, Task


def citation(c: SourceCitation) -> dict[str, Any]:
    out: dict[str, Any] = {"note": c.note or None}
    if c.document is not None:
        out.update(type="document", document=c.document.slug, file=c.document.file, title=c.document.title,
                   line_from=c.line_from, line_to=c.line_to, lines=c.lines_label, url=c.document.url or None)
    elif c.provision is not None:
        out.update(type="provision", provision=provision_ref(c.provision))
    else:
        out.update(type="url", url=c.url)
    return out


def _day(d) -> str | None:
    return d.isoformat() if d else None


def provision_ref(p: Provision) -> dict[str, Any]:
    return {"slug": p.slug, "act": p.act.short_name, "act_reference": p.act.reference, "ref": p.reference,
            "title": p.title, "url": p.url, "effect": p.effect, "kind": p.kind, "verified": p.verified,
            "valid_from": _day(p.valid_from), "valid_to": _day(p.valid_to)}


def provision_detail(p: Provision, tasks: list[Task] | None = None) -> dict[str, Any]:
    """A provision with its act (and the act's number), what it does, its validity and how it was verified;
    ``tasks`` (the published tasks it governs) for the single-provision answer."""
    out = {
        **provision_ref(p),
        "act": {"slug": p.act.slug, "short_name": p.act.short_name, "title": p.act.title,
                "reference": p.act.reference, "url": p.act.url, "kind": p.act.kind,
                "valid_from": _day(p.act.valid_from), "valid_to": _day(p.act.valid_to)},
        "summary": p.summary, "reserved_to": [x.slug for x in p.reserved_to], "scope": p.scope or None,
        "complexity": p.complexity, "organisation": p.organisation.slug if p.organisation else None,
        "verified_source": p.verified_source or None, "verified_on": _day(p.verified_on),
        "verification_note": p.verification_note or None,
    }
    if tasks is not None:
        out["tasks"] = [task_summary(t) for t in tasks]
    return out


def profession_summary(p: Profession) -> dict[str, Any]:
    return {"slug": p.slug, "name": p.name, "name_en": p.name_en, "abbreviation": p.abbreviation,
            "parent": p.parent.slug if p.parent else None, "authorised": p.authorised,
            "title_protected": p.title_protected, "has_reserved_area": p.has_reserved_area, "isco08": p.isco08,
            "education_level": p.education_level, "shortage_level": p.shortage_level}


def profession_detail(p: Profession, held: list[Task], reserving: list[Provision], total: int | None = None,
                      limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """``held``: one page of the tasks held (``offset``, ``limit``), ``total`` of them in all."""
    return {
        **profession_summary(p),
        "legal_basis": p.legal_basis, "register_code": p.register_code, "description": p.description,
        "education": {"name": p.education_name, "length": p.education_length, "level": p.education_level},
        "settings": [s.slug for s in p.settings],
        "competences": [{"slug": c.slug, "name": c.name} for c in p.competences],
        "reserved_area": [provision_ref(r) for r in reserving],
        "shortage": [{"metric": s.metric, "value": s.value, "unit": s.unit, "year": s.year, "note": s.note,
                      "sources": [citation(c) for c in s.citations]} for s in p.shortages],
        "tasks_held": [task_summary(t) for t in held],
        "tasks_held_total": len(held) if total is None else total, "limit": limit, "offset": offset,
        "sources": [citation(c) for c in p.citations],
    }


def task_summary(t: Task) -> dict[str, Any]:
    return {"slug": t.slug, "title": t.title, "title_en": t.title_en, "category": t.category,
            "settings": [s.slug for s in t.settings], "holders": [h.slug for h in t.holders], "tags": list(t.tags)}


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"taker": e.taker.slug, "from": e.from_profession.slug if e.from_profession else None,
            "kind": e.kind, "summary": e.summary, "sources": [citation(c) for c in e.citations]}


def _rule(r: Rule) -> dict[str, Any]:
    return {"slug": r.slug, "profession": r.profession.slug if r.profession else None,
            "except_professions": [x.slug for x in r.exceptions],
            "organisation": r.organisation.slug if r.organisation else None, "effect": r.effect, "kind": r.kind,
            "setting": r.setting.slug if r.setting else None, "complexity": r.complexity,
            "provision": provision_ref(r.provision) if r.provision else None,
            "conditions": list(r.conditions), "note": r.note}


def task_detail(t: Task) -> dict[str, Any]:
    return {
        **task_summary(t),
        "description": t.description, "status": t.status,
        "terms": [{"term": x.term, "kind": x.kind} for x in t.terms],
        "requirements": [{"competence": r.competence.slug, "name": r.competence.name, "level": r.level,
                          "complexity": r.complexity} for r in t.requirements],
        "provisions": [provision_ref(p) for p in t.provisions],
        "rules": [_rule(r) for r in t.rules],
        "evidence": [_evidence(e) for e in t.evidence],
        "sources": [citation(c) for c in t.citations],
    }
