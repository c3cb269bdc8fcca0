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
from kb.editing.forms.citations import (DanishDateField, choice_field, long_text, multi_choice_field, options,
                                        text_field, url_format)
from kb.editing.forms.entity import EntityForm
from kb.models.enums import COMPLEXITY_LABELS, EFFECT_LABELS, KIND_LABELS
from kb.official_sources import is_official


def check_official_verification(form, organisational: bool) -> bool:
    """"Bekræftet" only with an official source and the date it was checked (the fields' own validators stop at an
    empty optional field, so this runs after them): the Danish message beside the field that lacks it."""
    if not form.verified.data:
        return True
    source, on, ok = form.verified_source, form.verified_on, True
    if not (source.data or "").strip():
        source.errors.append(lazy_gettext(
            "En bekræftet bestemmelse skal have den officielle kilde, den er kontrolleret mod."))
        ok = False
    elif not source.errors and not is_official(source.data, organisational=organisational):
        source.errors.append(lazy_gettext(
            "Kilden er ikke en officiel tekst (fx retsinformation.dk, ft.dk, stps.dk, sst.dk eller en regions "
            "instruksportal); private lovsamlinger kan ikke bekræfte en bestemmelse."))
        ok = False
    if on.data is None and not on.errors:
        on.errors.append(lazy_gettext("Angiv datoen for kontrollen mod den officielle kilde."))
        ok = False
    elif on.data is not None and on.data > date.today():
        on.errors.append(lazy_gettext("Datoen for kontrollen må ikke ligge i fremtiden."))
        ok = False
    return ok


class LawRecordChecks:
    """What a provision's and an act's form both check: validity in order, and verified only officially."""

    kind_field = "provision_kind"  # the form's field saying legal or organisational

    def validate_valid_to(self, field) -> None:
        if field.data and self.valid_from.data and self.valid_from.data > field.data:
            raise ValidationError(lazy_gettext("Slutdatoen må ikke ligge før startdatoen."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        organisational = getattr(self, self.kind_field).data == "organisational"
        return check_official_verification(self, organisational) and ok


def _as_date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(value) if value else None


class ProvisionForm(LawRecordChecks, EntityForm):
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
    scope = long_text(lazy_gettext("Omfang (vises som betingelse)"), 5000, description=lazy_gettext(
        "Den del af opgaven retten dækker, fx Kun de lægemidler og vacciner, der er udpeget i bekendtgørelsen."))
    complexity = choice_field(lazy_gettext("Gælder kun for"), choices=options(
        COMPLEXITY_LABELS.items(), blank=lazy_gettext("Alle patienter")))
    organisation = choice_field(lazy_gettext("Gælder kun i (organisatorisk)"), description=lazy_gettext(
        "Den region eller kommune, en aftale eller lokal instruks gælder i."))
    verified = BooleanField(lazy_gettext("Bekræftet mod kilden"))
    verified_source = text_field(lazy_gettext("Officiel kilde, den er kontrolleret mod"), 1000,
                                 validators=[Optional(), url_format], description=lazy_gettext(
                                     "Fx retsinformation.dk (ELI-adresse), ft.dk, stps.dk eller en regions "
                                     "instruksportal. Private lovsamlinger tæller ikke."))
    verified_on = DanishDateField(lazy_gettext("Kontrolleret den"), validators=[Optional()])
    verification_note = long_text(lazy_gettext("Hvad kunne vi ikke bekræfte?"), 5000)

    def _load_choices(self, session: Session) -> dict[str, Any]:
        return {
            "organisation": options(session.execute(sa.select(m.Organisation.slug, m.Organisation.name)
                                                    .order_by(m.Organisation.name)),
                                    blank=lazy_gettext("Hele landet")),
            "act": options(session.execute(sa.select(m.LegalAct.slug, m.LegalAct.short_name)
                                           .order_by(m.LegalAct.short_name)), blank=lazy_gettext("— vælg —")),
            "profession": options(session.execute(
                sa.select(m.Profession.slug, m.Profession.name).order_by(m.Profession.name))),
        }

    def _apply_choices(self) -> None:
        self.act.choices = self._choices.get("act", [])
        self.organisation.choices = self._choices.get("organisation", [])
        self.reserved_to.choices = self._choices.get("profession", [])


    def validate_reserved_to(self, field) -> None:
        if self.effect.data == "reserves" and not field.data:
            raise ValidationError(lazy_gettext("Vælg de faggrupper bestemmelsen forbeholder opgaven."))

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "reference", "title", "summary", "url", "verification_note", "scope",
                     "verified_source"):
            getattr(self, name).data = document.get(name) or ""
        self.complexity.data = document.get("complexity") or ""
        self.organisation.data = document.get("organisation") or ""
        self.verified_on.data = _as_date(document.get("verified_on"))
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
                "scope": (self.scope.data or "").strip(), "complexity": self.complexity.data or None,
                "organisation": self.organisation.data or None,
                "kind": self.provision_kind.data, "verified": bool(self.verified.data),
                "verified_source": (self.verified_source.data or "").strip(), "verified_on": iso(self.verified_on.data),
                "verification_note": self.verification_note.data or "", "act": self.act.data}
