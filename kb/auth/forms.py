"""The login form; labels and messages are lazy so they follow the request's language."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Brugernavn"), validators=[
        DataRequired(message=lazy_gettext("Skriv dit brugernavn.")), Length(max=120)])
    password = PasswordField(lazy_gettext("Adgangskode"), validators=[
        DataRequired(message=lazy_gettext("Skriv din adgangskode."))])
