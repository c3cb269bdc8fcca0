"""The editors' form for a competence (kompetence): what a task requires and professions and educations give, and
how a group that lacks it gains it — oplæring, kursus or uddannelse, hours, the education level and basis it builds
on, with sources (issue 19)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import FieldList, FormField
from wtforms.validators import NumberRange, Optional

from kb import models as m
from kb.editing.forms.citations import (
    CitationForm, WholeNumberField, add_spare_rows, choice_field, citation_options, citations_of, fill_citation,
    fill_rows, long_text, multi_choice_field, options, set_citation_choices, text_field,
)
from kb.editing.forms.entity import EntityForm
from kb.models.enums import EFFORT_LABELS

KIND_LABELS = {"knowledge": lazy_gettext("Viden"), "skill": lazy_gettext("Færdighed")}
TRAINING_CHOICES = [("", lazy_gettext("Ikke vurderet (regnes som uddannelse)"))] + \
    [(e, EFFORT_LABELS[e]) for e in ("oplæring", "kursus", "uddannelse")]


class CompetenceForm(EntityForm):
    kind = "competence"
    model = m.Competence
    field_aliases = {"kind": "competence_kind"}

    name = text_field(lazy_gettext("Navn"), 300, required=lazy_gettext("Giv kompetencen et navn."))
    name_en = text_field(lazy_gettext("Navn på engelsk"), 300)
    competence_kind = choice_field(lazy_gettext("Art"), choices=options(KIND_LABELS.items()),
                                   required=lazy_gettext("Vælg om det er viden eller en færdighed."),
                                   default="skill")
    description = long_text(lazy_gettext("Beskrivelse"))

    training_effort = choice_field(lazy_gettext("Sådan opnås den"), choices=TRAINING_CHOICES, description=lazy_gettext(
        "For en faggruppe, hvis grunduddannelse passer: oplæring på arbejdspladsen, et kursus, eller kun en "
        "videre- eller anden uddannelse."))
    training_hours = WholeNumberField(lazy_gettext("Typisk antal timer"), validators=[
        Optional(), NumberRange(min=0, max=10_000, message=lazy_gettext("Timerne skal ligge fra 0 til 10.000."))],
        description=lazy_gettext("Oplæringens eller kursets typiske længde i timer."))
    training_min_level = WholeNumberField(lazy_gettext("Laveste uddannelsesniveau (0-6)"), default=0, validators=[
        Optional(), NumberRange(min=0, max=6, message=lazy_gettext("Uddannelsesniveauet skal ligge fra 0 til 6."))],
        description=lazy_gettext("Under dette niveau lukker kun en uddannelse hullet (0 ingen uddannelse, "
                                 "2 erhvervsuddannelse, 4 professionsbachelor)."))
    training_basis = multi_choice_field(lazy_gettext("Bygger på (kompetencer fra grunduddannelsen)"),
                                        description=lazy_gettext(
                                            "Uden dem lukker kun en uddannelse hullet. Hold Ctrl (⌘ på Mac) nede "
                                            "for at vælge flere."))
    training_note = long_text(lazy_gettext("Begrundelse"), 2000)
    training_sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder til oplæringen"))

    def validate(self, extra_validators=None) -> bool:
        """The field checks, then how the training fields fit together (an empty hours field stops its own
        validators, so these are checked here): the message beside the field, the input kept."""
        ok = super().validate(extra_validators)
        effort, hours, basis = self.training_effort.data, self.training_hours, self.training_basis
        if effort in ("oplæring", "kursus") and hours.data is None and not hours.errors:
            hours.errors = [*hours.errors, lazy_gettext("Angiv det typiske antal timer for oplæring eller kursus.")]
        if not effort and hours.data is not None:
            hours.errors = [*hours.errors, lazy_gettext("Vælg først, hvordan kompetencen opnås.")]
        if self.slug_value() in (basis.data or []):
            basis.errors = [*basis.errors, lazy_gettext("En kompetence kan ikke bygge på sig selv.")]
        elif basis.data and not effort:
            basis.errors = [*basis.errors, lazy_gettext("Vælg først, hvordan kompetencen opnås.")]
        return ok and not hours.errors and not basis.errors

    def _load_choices(self, session: Session) -> dict[str, Any]:
        return {"competence": options(session.execute(
                    sa.select(m.Competence.slug, m.Competence.name).order_by(m.Competence.name))),
                **citation_options(session)}

    def _apply_choices(self) -> None:
        self.training_basis.choices = self._choices.get("competence", [])
        for entry in self.training_sources:
            set_citation_choices(entry.form, self._choices)

    def _add_spares(self) -> None:
        add_spare_rows(self.training_sources, 1)
        if self._choices:
            self._apply_choices()

    def _fill(self, document: dict[str, Any]) -> None:
        self.slug.data = document.get("slug", "")
        self.name.data = document.get("name", "")
        self.name_en.data = document.get("name_en", "")
        self.competence_kind.data = document.get("kind") or "skill"
        self.description.data = document.get("description", "")
        self.training_effort.data = document.get("training_effort") or ""
        self.training_hours.data = document.get("training_hours")
        self.training_min_level.data = document.get("training_min_level") or 0
        self.training_basis.data = list(document.get("training_basis", []))
        self.training_note.data = document.get("training_note", "")
        fill_rows(self.training_sources, document.get("training_sources", []), fill_citation)

    def document(self) -> dict[str, Any]:
        return {"slug": self.slug_value(), "name": self.name.data or "", "name_en": self.name_en.data or "",
                "kind": self.competence_kind.data, "description": self.description.data or "",
                "training_effort": self.training_effort.data or None, "training_hours": self.training_hours.data,
                "training_min_level": self.training_min_level.data or 0,
                "training_basis": sorted(set(self.training_basis.data or [])),
                "training_note": self.training_note.data or "",
                "training_sources": citations_of(self.training_sources)}
