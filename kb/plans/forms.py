"""Plan and item forms. Danish messages appear beside each field; nothing typed is lost on an error."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class PlanForm(FlaskForm):
    title = StringField("Titel", validators=[DataRequired(message="Giv planen en titel."), Length(max=300)])
    unit = StringField("Enhed (afsnit, afdeling, kommune)", validators=[Length(max=300)])
    hours_per_fte = DecimalField(
        "Timer pr. årsværk pr. uge", default=37, places=1,
        validators=[InputRequired(message="Angiv timer pr. årsværk."),
                    NumberRange(min=1, max=80, message="Skal ligge mellem 1 og 80 timer.")])
    notes = TextAreaField("Noter", validators=[Length(max=5000)])
    version_id = HiddenField()


class ItemForm(FlaskForm):
    task = SelectField("Opgave", validators=[DataRequired(message="Vælg en opgave.")])
    from_profession = SelectField("Flyttes fra", validators=[DataRequired(message="Vælg faggruppen der afgiver.")])
    to_profession = SelectField("Flyttes til", validators=[DataRequired(message="Vælg faggruppen der overtager.")])
    occurrences_per_week = DecimalField(
        "Antal gange pr. uge", places=1,
        validators=[InputRequired(message="Angiv hvor mange gange om ugen."),
                    NumberRange(min=0, max=100000, message="Skal være mellem 0 og 100.000.")])
    minutes_each = DecimalField(
        "Minutter pr. gang", places=1,
        validators=[InputRequired(message="Angiv minutter pr. gang."),
                    NumberRange(min=0, max=1440, message="Skal være mellem 0 og 1.440 minutter.")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])

    def validate_to_profession(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data and field.data == self.from_profession.data:
            raise ValidationError("Opgaven skal flyttes til en anden faggruppe.")


class QuickAddForm(ItemForm):
    """Add a task to a plan straight from 'Flyt opgaver væk fra …' (plan 'new' makes a plan)."""

    plan = SelectField("Plan", validators=[DataRequired(message="Vælg en plan.")])
