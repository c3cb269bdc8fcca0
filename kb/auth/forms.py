"""Login and user administration forms; labels and messages are lazy so they follow the request's language."""
import re

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from kb.auth.passwords import policy_problem
from kb.models.enums import ROLES

ROLE_LABELS = {
    "reader": lazy_gettext("Læser"),
    "planner": lazy_gettext("Planlægger (afdelingsleder)"),
    "editor": lazy_gettext("Redaktør"),
    "reviewer": lazy_gettext("Godkender"),
    "admin": lazy_gettext("Administrator"),
}
USERNAME_RE = re.compile(r"^[A-Za-z0-9._@-]+$")
# Enough to catch typing slips; whether the address works is the mail server's business.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Brugernavn"), validators=[
        DataRequired(message=lazy_gettext("Skriv dit brugernavn.")), Length(max=120)])
    password = PasswordField(lazy_gettext("Adgangskode"), validators=[
        DataRequired(message=lazy_gettext("Skriv din adgangskode."))])


def _check_policy(form, field) -> None:
    if field.data and (problem := policy_problem(field.data)):
        raise ValidationError(problem)


class _ProfileFields(FlaskForm):
    name = StringField(lazy_gettext("Fulde navn"), validators=[
        Length(max=200, message=lazy_gettext("Højst %(max)d tegn."))])
    email = StringField(lazy_gettext("E-mail"), validators=[
        Optional(), Length(max=300, message=lazy_gettext("Højst %(max)d tegn.")),
        Regexp(EMAIL_RE, message=lazy_gettext("Skriv en gyldig e-mailadresse, fx navn@region.dk."))])
    role = SelectField(lazy_gettext("Rolle"), default="reader",
                       validators=[DataRequired(message=lazy_gettext("Vælg en rolle."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role, ROLE_LABELS[role]) for role in ROLES]  # set here, as the plan forms do


class _NewPasswordFields(FlaskForm):
    password = PasswordField(lazy_gettext("Adgangskode"), validators=[
        DataRequired(message=lazy_gettext("Skriv en adgangskode.")), _check_policy],
        description=lazy_gettext("Mindst 10 tegn, med både bogstaver og tal eller tegn."))
    password_again = PasswordField(lazy_gettext("Gentag adgangskoden"), validators=[
        DataRequired(message=lazy_gettext("Skriv adgangskoden igen.")),
        EqualTo("password", message=lazy_gettext("De to adgangskoder er ikke ens."))])


class UserCreateForm(_ProfileFields, _NewPasswordFields):
    username = StringField(lazy_gettext("Brugernavn"), validators=[
        DataRequired(message=lazy_gettext("Skriv et brugernavn.")),
        Length(min=2, max=120, message=lazy_gettext("Brugernavnet skal have 2-120 tegn.")),
        Regexp(USERNAME_RE, message=lazy_gettext(
            "Brug kun bogstaver a-z, tal og . _ @ - (ingen mellemrum eller æ, ø, å)."))])


class UserEditForm(_ProfileFields):
    active = BooleanField(lazy_gettext("Aktiv (kan logge ind)"))
    # What the admin saw when the form was opened; a different value now means someone else changed the user.
    seen = HiddenField()


class PasswordResetForm(_NewPasswordFields):
    pass
