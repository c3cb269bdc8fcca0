"""The editors' form for a competence (kompetence): what a task requires and professions and educations give."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from kb import models as m
from kb.editing.forms.citations import choice_field, long_text, options, text_field
from kb.editing.forms.entity import EntityForm
KIND_LABELS = {"knowledge": lazy_gettext("Viden"), "skill": lazy_gettext("Færdighed")}


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

    def _fill(self, document: dict[str, Any]) -> None:
        self.slug.data = document.get("slug", "")
        self.name.data = document.get("name", "")
        self.name_en.data = document.get("name_en", "")
        self.competence_kind.data = document.get("kind") or "skill"
        self.description.data = document.get("description", "")

    def document(self) -> dict[str, Any]:
        return {"slug": self.slug_value(), "name": self.name.data or "", "name_en": self.name_en.data or "",
                "kind": self.competence_kind.data, "description": self.description.data or ""}
