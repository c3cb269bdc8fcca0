"""Which kinds of record editors can work on, found by their forms: kb/editing/forms/<kind>.py holding a
DocumentForm subclass with `kind = "<kind>"`. A kind whose form module is not there yet is simply not offered;
it appears once its file exists (failed imports are not cached, so no restart of the registry is needed).

Kinds have Danish URL segments (/redaktion/opgave/…) and labels; `public_url` is where readers see a record.
"""
from __future__ import annotations

import importlib
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext

from kb.knowledge.documents import KINDS
from kb.editing.forms.base import DocumentForm

# Overview order, the Danish URL segment and the label of each kind.
SEGMENTS: dict[str, str] = {
    "task": "opgave", "rule": "regel", "profession": "faggruppe", "competence": "kompetence",
    "education": "uddannelse", "legal_act": "retsakt", "provision": "bestemmelse",
}
KIND_BY_SEGMENT = {segment: kind for kind, segment in SEGMENTS.items()}
LABELS = {
    "task": lazy_gettext("Opgave"), "rule": lazy_gettext("Regel"), "profession": lazy_gettext("Faggruppe"),
    "competence": lazy_gettext("Kompetence"), "education": lazy_gettext("Uddannelse"),
    "legal_act": lazy_gettext("Retsakt"), "provision": lazy_gettext("Bestemmelse"),
}
NEW_LABELS = {
    "task": lazy_gettext("Ny opgave"), "rule": lazy_gettext("Ny regel"), "profession": lazy_gettext("Ny faggruppe"),
    "competence": lazy_gettext("Ny kompetence"), "education": lazy_gettext("Ny uddannelse"),
    "legal_act": lazy_gettext("Ny retsakt"), "provision": lazy_gettext("Ny bestemmelse"),
}


def form_class(kind: str) -> type[DocumentForm] | None:
    """The form for a kind, or None while kb/editing/forms/<kind>.py does not exist."""
    if kind not in KINDS:
        return None
    name = f"kb.editing.forms.{kind}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, DocumentForm) and value.kind == kind:
            return value
    return None


def available_kinds() -> list[str]:
    return [kind for kind in SEGMENTS if form_class(kind) is not None]


def kind_of_segment(segment: str) -> str | None:
    kind = KIND_BY_SEGMENT.get(segment)
    return kind if kind is not None and form_class(kind) is not None else None


def title_of(document: dict[str, Any] | None, fallback: str = "") -> str:
    """A human name for a document: its title, name, short name or reference, else the slug."""
    if not document:
        return fallback
    for key in ("title", "name", "short_name", "reference"):
        if document.get(key):
            return str(document[key])
    return str(document.get("slug") or fallback)


def public_url(kind: str, slug: str, document: dict[str, Any] | None = None) -> str | None:
    """Where readers see the record (a rule is shown on its task's page)."""
    if kind == "task":
        return url_for("catalogue.task", slug=slug)
    if kind == "rule":
        return url_for("catalogue.task", slug=document["task"]) if document and document.get("task") else None
    if kind == "legal_act":
        return url_for("catalogue.law")
    endpoint = {"profession": "catalogue.profession", "competence": "catalogue.competence",
                "education": "catalogue.education", "provision": "catalogue.provision"}.get(kind)
    return url_for(endpoint, slug=slug) if endpoint else None
