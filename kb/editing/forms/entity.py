"""`EntityForm`: what the profession, competence, education, legal act and provision forms share — the slug (fixed
once the record exists, free when new), filling from a document while keeping what was typed, and errors from the
document checks put back beside the field they concern."""
from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import FieldList, FormField
from wtforms.fields import SelectChoice
from wtforms.validators import ValidationError

from kb.editing.forms.base import DocumentForm, slug_format
from kb.editing.forms.citations import text_field


class EntityForm(DocumentForm):
    """What the profession, competence, education, legal act and provision forms share.

    `is_new` is set by the workflow: False when editing an existing record, whose slug then cannot change
    (the field is rendered read-only and the slug of the document given to `fill` is kept). `fill` on a form
    that was posted only remembers the original document and keeps what the editor typed.
    """

    is_new = True
    model: type | None = None  # whose slugs are taken (a new record's slug must be free)
    # Document field → form field, where the document's name is taken by a form attribute (`kind`).
    field_aliases: dict[str, str] = {}

    slug = text_field(lazy_gettext("Slug (fast id i adresser og filer)"), 120,
                      required=lazy_gettext("Angiv en slug, fx tage-blodproeve."), validators=[slug_format],
                      description=lazy_gettext("Små bogstaver a-z, cifre og bindestreger. Kan ikke ændres senere."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original: dict[str, Any] | None = None
        self._taken: set[str] = set()
        self._choices: dict[str, list[SelectChoice]] = {}
        # raw_data is None only when the form was built without posted data.
        self._posted = self.reason.raw_data is not None
        self._add_spares()

    # -- hooks for the subclasses

    def _load_choices(self, session: Session) -> dict[str, list[SelectChoice]]:
        return {}

    def _apply_choices(self) -> None:
        """Give every database-backed select (also in repeated rows) its options from self._choices."""

    def _add_spares(self) -> None:
        """Append blank rows to repeated fields."""

    def _fill(self, document: dict[str, Any]) -> None:
        raise NotImplementedError

    # -- the DocumentForm contract

    def set_choices(self, session: Session) -> None:
        if self.model is not None:
            self._taken = set(session.scalars(sa.select(self.model.slug)))
        self._choices = self._load_choices(session)
        self._apply_choices()

    def fill(self, document: dict[str, Any]) -> None:
        self._original = copy.deepcopy(document)
        if self._posted:
            return
        self._fill(document)
        self._add_spares()
        self._apply_choices()

    def validate(self, extra_validators=None) -> bool:
        if not self.is_new and self._original is not None:
            # An existing record keeps its slug, whatever came back from the read-only field.
            self.slug.data = self._original["slug"]
            self.slug.raw_data = [self._original["slug"]]
        return super().validate(extra_validators)

    def validate_slug(self, field) -> None:
        if self.is_new and field.data in self._taken:
            raise ValidationError(lazy_gettext("Slug'en er allerede i brug — vælg en anden."))

    def slug_value(self) -> str:
        if not self.is_new and self._original is not None:
            return self._original["slug"]
        return self.slug.data or ""

    def attach_errors(self, by_field: dict[str, list[str]]) -> None:
        """As DocumentForm's, but into repeated rows too: 'sources.2.url' lands beside that row's URL,
        'shortage.0.sources' beside the figure's first source, 'kind' beside the renamed kind field."""
        unplaced: dict[str, list[str]] = {}
        for path, messages in by_field.items():
            field = self._field_at(path)
            if field is None:
                unplaced.setdefault("", []).extend(messages)
                continue
            if not isinstance(field.errors, list):
                field.errors = list(field.errors or [])
            field.errors.extend(messages)
        if unplaced:
            super().attach_errors(unplaced)

    def _field_at(self, path: str):
        """The input a document path points at (or the nearest one above it that can show a message)."""
        parts = [p for p in path.split(".") if p]
        if not parts:
            return None
        field = self._fields.get(self.field_aliases.get(parts[0], parts[0]))
        for part in parts[1:]:
            if field is None:
                return None
            if isinstance(field, FieldList):
                if not (part.isdigit() and int(part) < len(field.entries)):
                    break
                field = field.entries[int(part)]
            elif isinstance(field, FormField):
                field = field.form._fields.get(_SUBFIELD_ALIASES.get(part, part))
                if field is None:
                    return None
            else:
                break
        # A whole row or list: show the message beside its first input.
        while isinstance(field, (FieldList, FormField)):
            if isinstance(field, FieldList):
                if not field.entries:
                    return None
                field = field.entries[0]
            else:
                field = next(iter(field.form))
        return field


# A citation's lines are one value in the document and two inputs in the form.
_SUBFIELD_ALIASES = {"lines": "line_from"}
