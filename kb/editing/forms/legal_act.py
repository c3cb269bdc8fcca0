"""The editors' form for a legal act (retsakt) — or, with kind 'organisational', an agreement or local
instruction. Its provisions are edited one by one (provision form); this form carries them over unchanged."""
from __future__ import annotations

import copy
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from datetime import date

from wtforms import BooleanField
from wtforms.validators import Optional

import sqlalchemy as sa

from kb import models as m
from kb.knowledge.documents import document_of
from kb.editing.forms.citations import DanishDateField, choice_field, long_text, options, text_field, url_format
from kb.editing.forms.entity import EntityForm
from kb.models.enums import KIND_LABELS
from kb.editing.forms.provision import LawRecordChecks


class LegalActForm(LawRecordChecks, EntityForm):
    kind = "legal_act"
    model = m.LegalAct
    field_aliases = {"kind": "act_kind"}
    kind_field = "act_kind"

    short_name = text_field(lazy_gettext("Kort navn"), 200, required=lazy_gettext("Giv retsakten et kort navn."),
                            description=lazy_gettext("Fx Autorisationsloven."))
    title = text_field(lazy_gettext("Fuld titel"), 1000)
    reference = text_field(lazy_gettext("Henvisning"), 200,
                           required=lazy_gettext("Angiv henvisningen, fx LBK nr. 731 af 08/06/2023."))
    url = text_field(lazy_gettext("Webadresse (URL)"), 1000, required=lazy_gettext("Angiv retsaktens webadresse."),
                     validators=[url_format])
    act_kind = choice_field(lazy_gettext("Art"), choices=options(KIND_LABELS.items()), default="legal",
                            required=lazy_gettext("Vælg om det er lovgivning eller en organisatorisk aftale."))
    organisation = choice_field(lazy_gettext("Region eller kommune (organisatorisk)"), description=lazy_gettext(
        "Hvis aftalen eller instruksen kun gælder ét sted."))
    valid_from = DanishDateField(lazy_gettext("Gælder fra"), validators=[Optional()])
    valid_to = DanishDateField(lazy_gettext("Gælder til"), validators=[Optional()])
    verified = BooleanField(lazy_gettext("Bekræftet mod kilden"))
    verified_source = text_field(lazy_gettext("Officiel kilde, den er kontrolleret mod"), 1000,
                                 validators=[Optional(), url_format])
    verified_on = DanishDateField(lazy_gettext("Kontrolleret den"), validators=[Optional()])
    verification_note = long_text(lazy_gettext("Hvad kunne vi ikke bekræfte?"), 5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_provisions: list[dict[str, Any]] = []

    def set_choices(self, session: Session) -> None:
        super().set_choices(session)
        # Safety net when the workflow did not give the original document: keep the stored act's provisions.
        if not self.is_new and self.slug.data:
            stored = document_of(session, "legal_act", self.slug.data)
            self._stored_provisions = stored["provisions"] if stored else []

    def _load_choices(self, session: Session) -> dict[str, Any]:
        return {"organisation": options(session.execute(sa.select(m.Organisation.slug, m.Organisation.name)
                                                        .order_by(m.Organisation.name)),
                                        blank=lazy_gettext("Hele landet"))}

    def _apply_choices(self) -> None:
        self.organisation.choices = self._choices.get("organisation", [])

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "short_name", "title", "reference", "url", "verification_note", "verified_source"):
            getattr(self, name).data = document.get(name) or ""
        self.act_kind.data = document.get("kind") or "legal"
        self.organisation.data = document.get("organisation") or ""
        for name in ("valid_from", "valid_to", "verified_on"):
            value = document.get(name)
            getattr(self, name).data = value if isinstance(value, date) or not value else date.fromisoformat(value)
        self.verified.data = bool(document.get("verified"))

    def document(self) -> dict[str, Any]:
        if self._original is not None:
            provisions = copy.deepcopy(self._original.get("provisions", []))
        else:
            provisions = copy.deepcopy(self._stored_provisions) if not self.is_new else []
        return {"slug": self.slug_value(), "short_name": self.short_name.data or "", "title": self.title.data or "",
                "reference": self.reference.data or "", "url": self.url.data or "", "kind": self.act_kind.data,
                "organisation": self.organisation.data or None,
                "valid_from": self.valid_from.data.isoformat() if self.valid_from.data else None,
                "valid_to": self.valid_to.data.isoformat() if self.valid_to.data else None,
                "verified": bool(self.verified.data),
                "verified_source": (self.verified_source.data or "").strip(),
                "verified_on": self.verified_on.data.isoformat() if self.verified_on.data else None,
                "verification_note": self.verification_note.data or "",
                "provisions": provisions}
