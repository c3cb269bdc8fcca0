"""Checking documents before they are written: fields against the seed schema (in Danish, by dotted field path),
then every reference against the database and the batch itself, then cited report line ranges. The "check" step of
kb.knowledge.publish, and what the editors' forms and the import's dry run ask before anything is saved."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from kb import models as m
from kb.knowledge import schema
from kb.knowledge.bundle import Entry, Origin, SeedBundle, SeedError, check_line_ranges, check_references
from kb.knowledge.documents import KINDS, DocumentError, find, to_document
from kb.knowledge.loader import reports_dir

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
                entry = Entry(schema.LegalAct.model_validate(to_document("legal_act", act)), where)
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
