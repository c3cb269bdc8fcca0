"""The upload form (a file of one kind for a dry run) and the commit form (the reason history records)."""
from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

KIND_CHOICES = [("task", lazy_gettext("Opgaver")), ("profession", lazy_gettext("Faggrupper")),
                ("competence", lazy_gettext("Kompetencer")), ("rule", lazy_gettext("Regler"))]


class UploadForm(FlaskForm):
    kind = SelectField(lazy_gettext("Slags poster i filen"),
                       choices=[SelectChoice(value, label) for value, label in KIND_CHOICES],
                       invalid_choice_message=lazy_gettext("Vælg opgaver, faggrupper, kompetencer eller regler."),
                       validators=[DataRequired(message=lazy_gettext("Vælg hvilke poster filen indeholder."))])
    file = FileField(lazy_gettext("Fil (.csv eller .xlsx, højst 5 MB)"), validators=[
        FileRequired(message=lazy_gettext("Vælg en fil.")),
        FileAllowed(["csv", "xlsx"], message=lazy_gettext("Filtypen understøttes ikke; brug .csv eller .xlsx."))])


class CommitForm(FlaskForm):
    reason = TextAreaField(lazy_gettext("Begrundelse (står i historikken ved hver ændret post)"), validators=[
        DataRequired(message=lazy_gettext("Skriv en begrundelse for importen.")),
        Length(max=2000, message=lazy_gettext("Begrundelsen må højst være på 2.000 tegn."))])
