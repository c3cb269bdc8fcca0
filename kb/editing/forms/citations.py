"""The citation sub-form (kildehenvisning) shared by the editors' forms, and the small pieces those forms share:
number and date fields with Danish messages, select fields whose options come from the database, blank-row
handling for repeated rows. `EntityForm`, the common base of the entity forms, is in kb/editing/forms/entity.py.

A citation points at exactly one target: a source report with its lines, a provision, or a URL (+ a note).
`fill_citation` puts a document's citation into a sub-form, `citation_document` reads it back (None for a row
left blank, so spare rows cost nothing).
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import (DateField, FieldList, FloatField, Form, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from kb import models as m

# -- fields and validators ------------------------------------------------------------------------------------


def clean_text(value):
    """Browsers send textarea lines as CRLF; documents keep LF and no surrounding blanks (as the seed schema)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


def url_format(form, field) -> None:
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError(lazy_gettext("Webadressen skal begynde med https:// eller http://."))


class WholeNumberField(IntegerField):
    """An integer field whose parse error is Danish."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(lazy_gettext("Skriv et helt tal, fx 2023.")) from None
        elif valuelist:
            self.data = None


class NumberField(FloatField):
    """A decimal number; a Danish decimal comma (7,5) is accepted, NaN and infinity are not."""

    widget = TextInput()  # type=number would refuse "7,5" in some browsers

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            text = valuelist[0].strip().replace(" ", "")
            if "," in text:  # Danish: 12.574,5 — dots group thousands, the comma is the decimal sign
                text = text.replace(".", "").replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                self.data = None
                raise ValueError(lazy_gettext("Skriv et tal, fx 7,5."))
            self.data = number
        elif valuelist:
            self.data = None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        whole = float(self.data).is_integer() and abs(self.data) < 1e15
        return (str(int(self.data)) if whole else repr(float(self.data))).replace(".", ",")  # 90, 7,5


class DanishDateField(DateField):
    """A date (<input type=date>, sent as ÅÅÅÅ-MM-DD) whose parse error is Danish."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                super().process_formdata([valuelist[0].strip()])
            except ValueError:
                self.data = None
                raise ValueError(lazy_gettext("Skriv datoen som ÅÅÅÅ-MM-DD, fx 2024-01-01.")) from None
        elif valuelist:
            self.data = None


def text_field(label, max_length: int, required=None, **kwargs) -> StringField:
    """A one-line text field: stripped, limited in length, required with the given Danish message."""
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=lazy_gettext("Højst %(max)d tegn.")))
    return StringField(label, validators=validators + kwargs.pop("validators", []), filters=[clean_text],
                       **kwargs)


def long_text(label, max_length: int = 5000, **kwargs) -> TextAreaField:
    """A multi-line text (textarea), line endings normalised, limited in length."""
    return TextAreaField(label, filters=[clean_text], validators=[
        Length(max=max_length, message=lazy_gettext("Højst %(max)d tegn."))], **kwargs)


def choice_field(label, required=None, choices=None, **kwargs) -> SelectField:
    """One choice from the database or an enumeration; a value not among the options is refused in Danish."""
    validators = [DataRequired(message=required)] if required else []
    kwargs.setdefault("default", "")  # a row added empty has the empty option chosen, not no option
    return SelectField(label, validators=validators, choices=choices or [],
                       invalid_choice_message=lazy_gettext("Vælg en af mulighederne på listen."), **kwargs)


def multi_choice_field(label, required=None, **kwargs) -> SelectMultipleField:
    validators = [DataRequired(message=required)] if required else []
    return SelectMultipleField(label, validators=validators, choices=[],
                               invalid_choice_message=lazy_gettext("Findes ikke: '%(value)s'."), **kwargs)


def options(pairs: Iterable[tuple[str, Any]], blank=None) -> list[SelectChoice]:
    """(value, label) pairs as select options, with a leading empty option when `blank` (its label) is given."""
    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(value, label) for value, label in pairs]


def filled(field) -> bool:
    """Whether the editor put anything in a field (what they typed counts even when it does not parse)."""
    if field.raw_data:
        return any(str(v).strip() for v in field.raw_data)
    data = field.data
    if isinstance(data, str):
        return bool(data.strip())
    if isinstance(data, list):
        return bool(data)
    return data is not None and data is not False


# -- the citation sub-form ------------------------------------------------------------------------------------


class CitationForm(Form):
    """One source: a report (document) with line numbers, a provision, or a URL — and a note."""

    document = choice_field(lazy_gettext("Rapport"))
    line_from = WholeNumberField(lazy_gettext("Fra linje"), validators=[
        Optional(), NumberRange(min=1, message=lazy_gettext("Linjenumre begynder ved 1."))])
    line_to = WholeNumberField(lazy_gettext("Til linje"), validators=[
        Optional(), NumberRange(min=1, message=lazy_gettext("Linjenumre begynder ved 1."))])
    provision = choice_field(lazy_gettext("Bestemmelse"))
    url = text_field(lazy_gettext("Webadresse (URL)"), 1000, validators=[url_format])
    note = text_field(lazy_gettext("Note"), 2000)

    def is_blank(self) -> bool:
        return not any(filled(f) for f in self)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        targets = [f for f in (self.document, self.provision, self.url) if filled(f)]
        if not targets:
            self.document.errors.append(lazy_gettext(
                "Angiv kilden: en rapport med linjer, en bestemmelse eller en webadresse."))
            ok = False
        elif len(targets) > 1:
            targets[-1].errors.append(lazy_gettext(
                "Angiv kun én kilde pr. række: en rapport, en bestemmelse eller en webadresse."))
            ok = False
        if filled(self.document):
            for f in (self.line_from, self.line_to):
                if not filled(f):
                    f.errors.append(lazy_gettext("Angiv linjenummeret i rapporten."))
                    ok = False
            if self.line_from.data and self.line_to.data and self.line_from.data > self.line_to.data:
                self.line_to.errors.append(lazy_gettext("Til-linjen må ikke ligge før fra-linjen."))
                ok = False
        elif filled(self.line_from) or filled(self.line_to):
            self.document.errors.append(lazy_gettext("Linjenumre hører til en rapport — vælg rapporten."))
            ok = False
        return ok


def fill_citation(subform, citation: dict[str, Any]) -> None:
    """Put a document's citation ({document, lines} | {provision} | {url}, + note) into a citation sub-form."""
    lines = citation.get("lines") or [None, None]
    subform.document.data = citation.get("document") or ""
    subform.line_from.data, subform.line_to.data = lines[0], lines[1]
    subform.provision.data = citation.get("provision") or ""
    subform.url.data = citation.get("url") or ""
    subform.note.data = citation.get("note") or ""


def citation_document(subform) -> dict[str, Any] | None:
    """The citation in the document's shape (keys only when set, as kb/knowledge/documents.py writes them);
    None for a row the editor left blank."""
    if subform.is_blank():
        return None
    out: dict[str, Any] = {}
    if subform.document.data:
        out["document"], out["lines"] = subform.document.data, [subform.line_from.data, subform.line_to.data]
    if subform.provision.data:
        out["provision"] = subform.provision.data
    if subform.url.data:
        out["url"] = subform.url.data
    if subform.note.data:
        out["note"] = subform.note.data
    return out


def citation_options(session: Session) -> dict[str, list[SelectChoice]]:
    """Options for a citation's selects: the source reports and the provisions (with their act's name)."""
    documents = session.execute(sa.select(m.SourceDocument.slug, m.SourceDocument.title)
                                .order_by(m.SourceDocument.slug)).all()
    provisions = session.execute(sa.select(m.Provision.slug, m.LegalAct.short_name, m.Provision.reference)
                                 .join(m.Provision.act).order_by(m.LegalAct.short_name, m.Provision.id)).all()
    return {"document": options(((s, f"{s} — {t}") for s, t in documents), blank=lazy_gettext("— ingen —")),
            "provision": options(((s, r if r.startswith(a) else f"{a}: {r}") for s, a, r in provisions),
                                 blank=lazy_gettext("— ingen —"))}


def set_citation_choices(subform, choices: dict[str, list[SelectChoice]]) -> None:
    subform.document.choices = choices.get("document", [])
    subform.provision.choices = choices.get("provision", [])


# -- repeated rows --------------------------------------------------------------------------------------------


def fill_rows(rows: FieldList, items: list[Any], fill_one) -> None:
    """Replace a FieldList's entries by one entry per item, filled by fill_one(subform, item)."""
    rows.entries, rows.last_index = [], -1
    for item in items:
        fill_one(rows.append_entry().form, item)


def add_spare_rows(rows: FieldList, spare: int) -> None:
    """Keep `spare` blank rows at the end of a list, so an editor can add rows without JavaScript."""
    trailing = 0
    for entry in reversed(rows.entries):
        if not entry.form.is_blank():
            break
        trailing += 1
    for _ in range(spare - trailing):
        rows.append_entry()


def citations_of(rows: FieldList) -> list[dict[str, Any]]:
    return [c for c in (citation_document(entry.form) for entry in rows) if c is not None]
