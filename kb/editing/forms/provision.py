"""The editors' form for a provision (bestemmelse): where it stands, what it does to who may perform a task
(reserves it, never delegable, requires a written instruction), when it is in force, and how sure we are."""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import BooleanField
from wtforms.validators import Optional, ValidationError

from kb import models as m
from kb.editing.forms.citations import (DanishDateField, EntityForm, choice_field, long_text, multi_choice_field,
                                        options, text_field, url_format)
from kb.models.enums import EFFECT_LABELS, KIND_LABELS


def _as_date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(value) if value else None


class ProvisionForm(EntityForm):
    kind = "provision"
    model = m.Provision
    field_aliases = {"kind": "provision_kind"}

    act = choice_field(lazy_gettext("Retsakt"), required=lazy_gettext("Vælg den retsakt bestemmelsen står i."))
    reference = text_field(lazy_gettext("Henvisning"), 200,
                           required=lazy_gettext("Angiv henvisningen, fx § 54, stk. 4, nr. 1."))
    title = text_field(lazy_gettext("Titel"), 500)
    summary = long_text(lazy_gettext("Resumé"))
    url = text_field(lazy_gettext("Webadresse (URL)"), 1000,
                     required=lazy_gettext("Angiv bestemmelsens webadresse."), validators=[url_format])
    valid_from = DanishDateField(lazy_gettext("Gælder fra"), validators=[Optional()])
    valid_to = DanishDateField(lazy_gettext("Gælder til"), validators=[Optional()])
    effect = choice_field(lazy_gettext("Virkning"), choices=options(EFFECT_LABELS.items()), default="other",
                          required=lazy_gettext("Vælg hvad bestemmelsen gør."))
    reserved_to = multi_choice_field(lazy_gettext("Forbeholdt faggrupper"), description=lazy_gettext(
        "Kun når bestemmelsen forbeholder opgaven. Hold Ctrl (⌘ på Mac) nede for at vælge flere."))
    provision_kind = choice_field(lazy_gettext("Art"), choices=options(KIND_LABELS.items()), default="legal",
                                  required=lazy_gettext("Vælg om det er lovgivning eller en organisatorisk aftale."))
    verified = BooleanField(lazy_gettext("Bekræftet mod kilden"))
    verification_note = long_text(lazy_gettext("Hvad kunne vi ikke bekræfte?"), 5000)

    def _load_choices(self, session: Session) -> dict[str, Any]:
        return {
            "act": options(session.execute(sa.select(m.LegalAct.slug, m.LegalAct.short_name)
                                           .order_by(m.LegalAct.short_name)), blank=lazy_gettext("— vælg —")),
            "profession": options(session.execute(
                sa.select(m.Profession.slug, m.Profession.name).order_by(m.Profession.name))),
        }

    def _apply_choices(self) -> None:
        self.act.choices = self._choices.get("act", [])
        self.reserved_to.choices = self._choices.get("profession", [])

    def validate_valid_to(self, field) -> None:
        if field.data and self.valid_from.data and self.valid_from.data > field.data:
            raise ValidationError(lazy_gettext("Slutdatoen må ikke ligge før startdatoen."))

    def validate_reserved_to(self, field) -> None:
        if self.effect.data == "reserves" and not field.data:
            raise ValidationError(lazy_gettext("Vælg de faggrupper bestemmelsen forbeholder opgaven."))

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "reference", "title", "summary", "url", "verification_note"):
            getattr(self, name).data = document.get(name) or ""
        self.act.data = document.get("act") or ""
        self.valid_from.data = _as_date(document.get("valid_from"))
        self.valid_to.data = _as_date(document.get("valid_to"))
        self.effect.data = document.get("effect") or "other"
        self.reserved_to.data = list(document.get("reserved_to", []))
        self.provision_kind.data = document.get("kind") or "legal"
        self.verified.data = bool(document.get("verified"))

    def document(self) -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {"slug": self.slug_value(), "reference": self.reference.data or "", "title": self.title.data or "",
                "summary": self.summary.data or "", "url": self.url.data or "",
                "valid_from": iso(self.valid_from.data), "valid_to": iso(self.valid_to.data),
                "effect": self.effect.data, "reserved_to": sorted(set(self.reserved_to.data or [])),
                "kind": self.provision_kind.data, "verified": bool(self.verified.data),
                "verification_note": self.verification_note.data or "", "act": self.act.data}
