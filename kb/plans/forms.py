"""Plan and item forms. Labels and messages are lazy (Danish msgid, translated when shown) and appear beside each
field; nothing typed is lost on an error."""
from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from kb.forms_fields import LocaleDecimalField

# WTForms ships no Danish messages, so the plan forms name their own (Danish msgid, English in translations).
_TOO_LONG = lazy_gettext("Højst %(max)d tegn.")


class PlanForm(FlaskForm):
    title = StringField(lazy_gettext("Titel"), validators=[
        DataRequired(message=lazy_gettext("Giv planen en titel.")), Length(max=300, message=_TOO_LONG)])
    unit = StringField(lazy_gettext("Enhed (afsnit, afdeling, kommune)"), validators=[
        Length(max=300, message=_TOO_LONG)])
    hours_per_fte = LocaleDecimalField(
        lazy_gettext("Timer pr. årsværk pr. uge"), default=37, places=1,
        validators=[InputRequired(message=lazy_gettext("Angiv timer pr. årsværk.")),
                    NumberRange(min=1, max=80, message=lazy_gettext("Skal ligge mellem 1 og 80 timer."))])
    notes = TextAreaField(lazy_gettext("Noter"), validators=[Length(max=5000, message=_TOO_LONG)])
    version_id = HiddenField()


class ItemForm(FlaskForm):
    task = SelectField(lazy_gettext("Opgave"), validators=[
        DataRequired(message=lazy_gettext("Vælg en opgave."))])
    from_profession = SelectField(lazy_gettext("Flyttes fra"), validators=[
        DataRequired(message=lazy_gettext("Vælg faggruppen der afgiver."))])
    to_profession = SelectField(lazy_gettext("Flyttes til"), validators=[
        DataRequired(message=lazy_gettext("Vælg faggruppen der overtager."))])
    occurrences_per_week = LocaleDecimalField(
        lazy_gettext("Antal gange pr. uge"), places=1,
        validators=[InputRequired(message=lazy_gettext("Angiv hvor mange gange om ugen.")),
                    NumberRange(min=0, max=100000, message=lazy_gettext("Skal være mellem 0 og 100.000."))])
    minutes_each = LocaleDecimalField(
        lazy_gettext("Minutter pr. gang"), places=1,
        validators=[InputRequired(message=lazy_gettext("Angiv minutter pr. gang.")),
                    NumberRange(min=0, max=1440, message=lazy_gettext("Skal være mellem 0 og 1.440 minutter."))])
    note = TextAreaField(lazy_gettext("Note"), validators=[Optional(), Length(max=2000, message=_TOO_LONG)])
    version_id = HiddenField()  # the line's version when the form was opened (no lost edits from a second tab)

    def validate_to_profession(self, field) -> None:
        if field.data and field.data == self.from_profession.data:
            raise ValidationError(lazy_gettext("Opgaven skal flyttes til en anden faggruppe."))


class QuickAddForm(ItemForm):
    """Add a task to a plan straight from 'Flyt opgaver væk fra …' (plan 'new' makes a plan)."""

    plan = SelectField(lazy_gettext("Plan"), validators=[DataRequired(message=lazy_gettext("Vælg en plan."))])
