"""What every editor's form shares: the reason for the change, the version it was based on, and the two-way
mapping to a document (kb/knowledge/documents.py), so forms never write to the database themselves.

A form for kind K lives in kb/editing/forms/<K>.py as a subclass of DocumentForm with `kind = "<K>"`, and says
how a document fills it (`fill`), how its data becomes a document (`document`), and where select options come from
(`set_choices`). Errors found later, when the document is checked against the database, are put back beside the
field they concern with `attach_errors`.
"""
from __future__ import annotations

import re
from typing import Any, ClassVar

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_format(form, field) -> None:
    """Slugs are lower-case a-z, digits and hyphens (æ→ae, ø→oe, å→aa): they appear in URLs and seed files."""
    if field.data and not SLUG_RE.match(field.data):
        raise ValidationError(lazy_gettext(
            "Brug kun små bogstaver a-z, cifre og bindestreger (æ→ae, ø→oe, å→aa), fx tage-blodproeve."))


def split_lines(text: str | None) -> list[str]:
    """A textarea with one value per line → the values, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DocumentForm(FlaskForm):
    kind: ClassVar[str] = ""

    reason = TextAreaField(lazy_gettext("Begrundelse for ændringen"), validators=[
        DataRequired(message=lazy_gettext("Skriv hvorfor ændringen laves — den gemmes i historikken.")),
        Length(max=2000, message=lazy_gettext("Højst 2.000 tegn."))])
    # The record's version_id when the editor opened it: a save based on an older version is refused.
    base_version = HiddenField()

    def set_choices(self, session: Session) -> None:
        """Fill select fields' choices from the database (called before validate and before rendering)."""

    def fill(self, document: dict[str, Any]) -> None:
        """Put a document's values into the fields (for GET: the published record or a draft)."""
        raise NotImplementedError

    def document(self) -> dict[str, Any]:
        """The validated fields as a document in the seed schema's shape."""
        raise NotImplementedError

    def attach_errors(self, by_field: dict[str, list[str]]) -> None:
        """Put document errors (dotted paths like 'holders.3' or 'requirements.1.competence') beside the field
        named by the path's first part; what matches no field goes to form_errors, shown above the form."""
        for path, messages in by_field.items():
            name = path.split(".", 1)[0]
            field = self._fields.get(name) if name else None
            if field is not None:
                if not isinstance(field.errors, list):
                    field.errors = list(field.errors or [])
                field.errors.extend(messages)
            else:
                self.form_errors.extend(messages)
