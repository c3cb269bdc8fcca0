"""The editors' form for a legal act (retsakt) — or, with kind 'organisational', an agreement or local
instruction. Its provisions are edited one by one (provision form); this form carries them over unchanged."""
from __future__ import annotations

import copy
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import BooleanField

from kb import models as m
from kb.editing.documents import document_of
from kb.editing.forms.citations import EntityForm, choice_field, long_text, options, text_field, url_format
from kb.models.enums import KIND_LABELS


class LegalActForm(EntityForm):
    kind = "legal_act"
    model = m.LegalAct
    field_aliases = {"kind": "act_kind"}

    short_name = text_field(lazy_gettext("Kort navn"), 200, required=lazy_gettext("Giv retsakten et kort navn."),
                            description=lazy_gettext("Fx Autorisationsloven."))
    title = text_field(lazy_gettext("Fuld titel"), 1000)
    reference = text_field(lazy_gettext("Henvisning"), 200,
                           required=lazy_gettext("Angiv henvisningen, fx LBK nr. 731 af 08/06/2023."))
    url = text_field(lazy_gettext("Webadresse (URL)"), 1000, required=lazy_gettext("Angiv retsaktens webadresse."),
                     validators=[url_format])
    act_kind = choice_field(lazy_gettext("Art"), choices=options(KIND_LABELS.items()), default="legal",
                            required=lazy_gettext("Vælg om det er lovgivning eller en organisatorisk aftale."))
    verified = BooleanField(lazy_gettext("Bekræftet mod kilden"))
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

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "short_name", "title", "reference", "url", "verification_note"):
            getattr(self, name).data = document.get(name) or ""
        self.act_kind.data = document.get("kind") or "legal"
        self.verified.data = bool(document.get("verified"))

    def document(self) -> dict[str, Any]:
        if self._original is not None:
            provisions = copy.deepcopy(self._original.get("provisions", []))
        else:
            provisions = copy.deepcopy(self._stored_provisions) if not self.is_new else []
        return {"slug": self.slug_value(), "short_name": self.short_name.data or "", "title": self.title.data or "",
                "reference": self.reference.data or "", "url": self.url.data or "", "kind": self.act_kind.data,
                "verified": bool(self.verified.data), "verification_note": self.verification_note.data or "",
                "provisions": provisions}
