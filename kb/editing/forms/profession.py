"""The editors' form for a profession (faggruppe): authorisation, education, settings and competences, shortage
figures with their sources, and the profession's own sources."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import BooleanField, FieldList, FormField, Form
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp, ValidationError

from kb import models as m
from kb.editing.forms.citations import (CitationForm, NumberField, WholeNumberField, add_spare_rows, choice_field,
                                        citation_options, citations_of, fill_citation, fill_rows, filled, long_text,
                                        multi_choice_field, options, set_citation_choices, text_field)
from kb.editing.forms.entity import EntityForm
from kb.models.enums import SHORTAGE_LABELS


class ShortageForm(Form):
    """One shortage figure (mangeltal): what is measured, the number, its unit and year, and its sources."""

    metric = text_field(lazy_gettext("Hvad tallet måler"), 300)
    value = NumberField(lazy_gettext("Tal"), validators=[Optional()])
    unit = text_field(lazy_gettext("Enhed"), 60, description=lazy_gettext("Fx årsværk, stillinger, procent."))
    year = WholeNumberField(lazy_gettext("År"), validators=[
        Optional(), NumberRange(min=1900, max=2100, message=lazy_gettext("Skriv et årstal mellem 1900 og 2100."))])
    note = long_text(lazy_gettext("Note"), 2000)
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder til tallet"))

    def is_blank(self) -> bool:
        return (not any(filled(f) for f in (self.metric, self.value, self.unit, self.year, self.note))
                and all(entry.form.is_blank() for entry in self.sources))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        if not filled(self.metric):
            self.metric.errors.append(lazy_gettext("Skriv hvad tallet måler."))
            ok = False
        if not citations_of(self.sources):
            target = self.sources.entries[0].form.document if self.sources.entries else self.metric
            target.errors.append(lazy_gettext("Et mangeltal skal have mindst én kilde."))
            ok = False
        return ok


def _fill_shortage(subform: ShortageForm, row: dict[str, Any]) -> None:
    subform.metric.data = row.get("metric", "")
    subform.value.data = row.get("value")
    subform.unit.data = row.get("unit", "")
    subform.year.data = row.get("year")
    subform.note.data = row.get("note", "")
    fill_rows(subform.sources, row.get("sources", []), fill_citation)


def _shortage_document(subform: ShortageForm) -> dict[str, Any] | None:
    if subform.is_blank():
        return None
    return {"metric": subform.metric.data or "", "value": subform.value.data, "unit": subform.unit.data or "",
            "year": subform.year.data, "note": subform.note.data or "", "sources": citations_of(subform.sources)}


class ProfessionForm(EntityForm):
    kind = "profession"
    model = m.Profession

    name = text_field(lazy_gettext("Navn"), 200, required=lazy_gettext("Giv faggruppen et navn."))
    name_en = text_field(lazy_gettext("Navn på engelsk"), 200)
    abbreviation = text_field(lazy_gettext("Forkortelse"), 40, description=lazy_gettext("Fx SSA, SSH."))
    parent = choice_field(lazy_gettext("Hører under faggruppe"), description=lazy_gettext(
        "For specialiseringer: medlemmer tæller også som medlemmer af denne faggruppe."))
    description = long_text(lazy_gettext("Beskrivelse"))

    authorised = BooleanField(lazy_gettext("Autoriseret sundhedsperson"))
    title_protected = BooleanField(lazy_gettext("Beskyttet titel"))
    has_reserved_area = BooleanField(lazy_gettext("Har forbeholdt virksomhedsområde"))
    legal_basis = long_text(lazy_gettext("Retsgrundlag"), 2000)
    register_code = text_field(lazy_gettext("Kode i autorisationsregistret"), 10)
    isco08 = text_field(lazy_gettext("ISCO-08-kode"), 10, validators=[
        Regexp(r"^\d{1,4}$", message=lazy_gettext("ISCO-08-koden er et til fire cifre, fx 2221."))])

    education_name = text_field(lazy_gettext("Grunduddannelse"), 300)
    education_length = text_field(lazy_gettext("Uddannelsens længde"), 100, description=lazy_gettext("Fx 3½ år."))
    education_level = WholeNumberField(lazy_gettext("Uddannelsesniveau (0-6)"), default=0, validators=[
        InputRequired(message=lazy_gettext("Angiv uddannelsesniveauet fra 0 til 6.")),
        NumberRange(min=0, max=6, message=lazy_gettext("Uddannelsesniveauet skal ligge fra 0 til 6."))],
        description=lazy_gettext("0 ingen uddannelse, 2 erhvervsuddannelse, 4 professionsbachelor, 6 kandidat."))

    settings = multi_choice_field(lazy_gettext("Arbejdssteder"))
    competences = multi_choice_field(lazy_gettext("Kompetencer fra grunduddannelsen"), description=lazy_gettext(
        "Hold Ctrl (⌘ på Mac) nede for at vælge flere."))

    shortage_level = choice_field(lazy_gettext("Mangel på faggruppen"), default="unknown",
                                  choices=options(SHORTAGE_LABELS.items()),
                                  required=lazy_gettext("Vælg hvor stor manglen er."))
    shortage = FieldList(FormField(ShortageForm), label=lazy_gettext("Mangeltal"))
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder"))

    def _load_choices(self, session: Session) -> dict[str, Any]:
        professions = session.execute(sa.select(m.Profession.slug, m.Profession.name, m.Profession.parent_id,
                                                m.Profession.id).order_by(m.Profession.name)).all()
        by_id = {p.id: p.slug for p in professions}
        self._parents = {p.slug: by_id.get(p.parent_id) for p in professions}
        return {
            "profession": [(p.slug, p.name) for p in professions],
            "setting": options(session.execute(sa.select(m.Setting.slug, m.Setting.name).order_by(m.Setting.name))),
            "competence": options(session.execute(
                sa.select(m.Competence.slug, m.Competence.name).order_by(m.Competence.name))),
            **citation_options(session),
        }

    def _apply_choices(self) -> None:
        c = self._choices
        own = self.slug_value()
        self.parent.choices = options(((s, n) for s, n in c.get("profession", []) if s != own),
                                      blank=lazy_gettext("— ingen —"))
        self.settings.choices = c.get("setting", [])
        self.competences.choices = c.get("competence", [])
        for row in self.shortage:
            for entry in row.form.sources:
                set_citation_choices(entry.form, c)
        for entry in self.sources:
            set_citation_choices(entry.form, c)

    def _add_spares(self) -> None:
        for row in self.shortage:
            add_spare_rows(row.form.sources, 1)
        add_spare_rows(self.shortage, 1)
        for row in self.shortage:  # the new blank figure gets its blank source row too
            add_spare_rows(row.form.sources, 1)
        add_spare_rows(self.sources, 2)
        if self._choices:
            self._apply_choices()

    def validate_parent(self, field) -> None:
        own, parent = self.slug_value(), field.data
        seen = set()
        while parent and parent not in seen:
            if parent == own:
                raise ValidationError(lazy_gettext("En faggruppe kan ikke høre under sig selv."))
            seen.add(parent)
            parent = getattr(self, "_parents", {}).get(parent)

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "name", "name_en", "abbreviation", "description", "legal_basis", "register_code",
                     "isco08", "education_name", "education_length"):
            getattr(self, name).data = document.get(name) or ""
        for name in ("authorised", "title_protected", "has_reserved_area"):
            getattr(self, name).data = bool(document.get(name))
        self.parent.data = document.get("parent") or ""
        self.education_level.data = document.get("education_level")
        self.shortage_level.data = document.get("shortage_level") or "unknown"
        self.settings.data = list(document.get("settings", []))
        self.competences.data = list(document.get("competences", []))
        fill_rows(self.shortage, document.get("shortage", []), _fill_shortage)
        fill_rows(self.sources, document.get("sources", []), fill_citation)

    def document(self) -> dict[str, Any]:
        text = {name: getattr(self, name).data or "" for name in (
            "name", "name_en", "abbreviation", "legal_basis", "isco08", "register_code", "education_name",
            "education_length", "description")}
        return {
            "slug": self.slug_value(), **text, "parent": self.parent.data or None,
            "authorised": bool(self.authorised.data), "title_protected": bool(self.title_protected.data),
            "has_reserved_area": bool(self.has_reserved_area.data), "education_level": self.education_level.data,
            "shortage_level": self.shortage_level.data, "settings": sorted(set(self.settings.data or [])),
            "competences": sorted(set(self.competences.data or [])),
            "shortage": [s for s in (_shortage_document(row.form) for row in self.shortage) if s is not None],
            "sources": citations_of(self.sources),
        }
