"""The editing forms as the workflow builds them, without a request's CSRF token: for tests of the forms themselves;
and what a browser submits for a form's HTML (BrowserForm, submitted)."""
from __future__ import annotations

from html.parser import HTMLParser

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


class BrowserForm(HTMLParser):
    """The name/value pairs a browser submits for a form's controls: enabled inputs (checkboxes only when
    checked), the selected options of each select (the first option when none is), textarea contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = options[:1]
            for o in chosen:
                self.pairs.append((self._select["name"], o["value"] if o["value"] is not None else o["text"]))
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self.pairs.append((self._textarea["name"], text.replace("\n", "\r\n")))  # browsers send CRLF
            self._textarea = None


def submitted(page: str, reason: str = "Rettelse") -> MultiDict:
    browser = BrowserForm()
    browser.feed(page)
    data = MultiDict(browser.pairs)
    data["reason"] = reason
    return data
