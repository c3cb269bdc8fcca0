"""The small forms of the workflow's buttons: publish, send back, revert. Their CSRF token is checked for every
POST by CSRFProtect (kb/extensions.py) and rendered with csrf_token() in the templates, so these forms carry only
their own fields; the draft's lock_version comes as the hidden input `lock`."""
from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

TOO_LONG = lazy_gettext("Højst 2.000 tegn.")


class _Form(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect already refused any POST without a valid token before the view ran


class PublishForm(_Form):
    publish_comment = TextAreaField(lazy_gettext("Kommentar til forfatteren (valgfri)"), validators=[
        Length(max=2000, message=TOO_LONG)])


class SendBackForm(_Form):
    comment = TextAreaField(lazy_gettext("Hvad skal rettes?"), validators=[
        DataRequired(message=lazy_gettext("Skriv til forfatteren, hvad der skal rettes.")),
        Length(max=2000, message=TOO_LONG)])


class RevertForm(_Form):
    reason = TextAreaField(lazy_gettext("Begrundelse for at gendanne versionen"), validators=[
        DataRequired(message=lazy_gettext("Skriv hvorfor versionen gendannes — den gemmes i historikken.")),
        Length(max=2000, message=TOO_LONG)])
