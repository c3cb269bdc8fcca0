from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Brugernavn", validators=[DataRequired(message="Skriv dit brugernavn."), Length(max=120)])
    password = PasswordField("Adgangskode", validators=[DataRequired(message="Skriv din adgangskode.")])
