"""The editors' form for an education offer (efter- og videreuddannelse): what it is, where and at what cost,
the competences it gives (at least one), the professions it is for, and its sources."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import FieldList, FormField
from wtforms.validators import NumberRange, Optional

from kb import models as m
from kb.editing.forms.citations import (CitationForm, NumberField, add_spare_rows, citation_options,
                                        citations_of, fill_citation, fill_rows, long_text, multi_choice_field,
                                        options, set_citation_choices, text_field, url_format)
from kb.editing.forms.entity import EntityForm


class EducationForm(EntityForm):
    kind = "education"
    model = m.Education

    name = text_field(lazy_gettext("Navn"), 300, required=lazy_gettext("Giv uddannelsen et navn."))
    name_en = text_field(lazy_gettext("Navn på engelsk"), 300)
    provider = text_field(lazy_gettext("Udbyder"), 300)
    level = text_field(lazy_gettext("Niveau"), 100, description=lazy_gettext("Fx AMU, akademiuddannelse, diplom."))
    ects = NumberField(lazy_gettext("ECTS-point"), validators=[
        Optional(), NumberRange(min=0, max=400, message=lazy_gettext("ECTS-point skal ligge fra 0 til 400."))])
    length = text_field(lazy_gettext("Varighed"), 100, description=lazy_gettext("Fx 3 dage, ½ år på deltid."))
    price = text_field(lazy_gettext("Pris"), 100)
    entry_requirements = long_text(lazy_gettext("Adgangskrav"), 2000)
    url = text_field(lazy_gettext("Webadresse (URL)"), 1000, validators=[url_format])
    description = long_text(lazy_gettext("Beskrivelse"))

    competences = multi_choice_field(
        lazy_gettext("Kompetencer uddannelsen giver"),
        required=lazy_gettext("Vælg mindst én kompetence, som uddannelsen giver."),
        description=lazy_gettext("Hold Ctrl (⌘ på Mac) nede for at vælge flere."))
    target_professions = multi_choice_field(lazy_gettext("Målgruppe (faggrupper)"))
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder"))

    def _load_choices(self, session: Session) -> dict[str, Any]:
        return {
            "competence": options(session.execute(
                sa.select(m.Competence.slug, m.Competence.name).order_by(m.Competence.name))),
            "profession": options(session.execute(
                sa.select(m.Profession.slug, m.Profession.name).order_by(m.Profession.name))),
            **citation_options(session),
        }

    def _apply_choices(self) -> None:
        self.competences.choices = self._choices.get("competence", [])
        self.target_professions.choices = self._choices.get("profession", [])
        for entry in self.sources:
            set_citation_choices(entry.form, self._choices)

    def _add_spares(self) -> None:
        add_spare_rows(self.sources, 2)
        if self._choices:
            self._apply_choices()

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "name", "name_en", "provider", "level", "length", "price", "entry_requirements", "url",
                     "description"):
            getattr(self, name).data = document.get(name) or ""
        self.ects.data = document.get("ects")
        self.competences.data = list(document.get("competences", []))
        self.target_professions.data = list(document.get("target_professions", []))
        fill_rows(self.sources, document.get("sources", []), fill_citation)

    def document(self) -> dict[str, Any]:
        text = {name: getattr(self, name).data or "" for name in (
            "name", "name_en", "provider", "level", "length", "price", "entry_requirements", "url", "description")}
        return {"slug": self.slug_value(), **text, "ects": self.ects.data,
                "competences": sorted(set(self.competences.data or [])),
                "target_professions": sorted(set(self.target_professions.data or [])),
                "sources": citations_of(self.sources)}
