"""The editing forms as the workflow builds them, without a request's CSRF token: for tests of the forms themselves."""
from __future__ import annotations

from flask import render_template
from werkzeug.datastructures import MultiDict

from kb.editing import registry
from kb.extensions import db

NO_CSRF = {"csrf": False}


def render(kind: str, form) -> str:
    return render_template(f"editing/forms/{kind}.html", form=form)


def edit_form(kind: str, document: dict):
    """The form an editor opens for an existing record (GET)."""
    form = registry.form_class(kind)(meta=NO_CSRF)
    form.is_new = False
    form.set_choices(db.session)
    form.fill(document)
    return form


def post(kind: str, data: MultiDict, original: dict | None = None):
    """The form as the workflow builds it on POST: is_new from whether there is an original, fill(original)."""
    form = registry.form_class(kind)(formdata=data, meta=NO_CSRF)
    form.is_new = original is None
    form.set_choices(db.session)
    if original is not None:
        form.fill(original)
    return form
