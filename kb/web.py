"""Cross-cutting web concerns: security headers, language choice, error pages, template helpers."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask, Response, abort, g, has_request_context, render_template, request, session
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from werkzeug.routing import IntegerConverter

from kb.extensions import db, login_manager

from kb.models.enums import (
    CATEGORY_LABELS, COMPLEXITY_LABELS, EFFECT_LABELS, EVIDENCE_LABELS, KIND_LABELS, REASON_KIND_LABELS, RULE_EFFECT_LABELS,
    SHORTAGE_LABELS, VERDICT_LABELS, EFFORT_LABELS, FIT_LABELS,
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    # The app uses none of these browser features; a page that could be made to ask for them cannot.
    "Permissions-Policy": ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                           "bluetooth=(), interest-cohort=()"),
}
# A signed-in user's pages hold plans, drafts, exports of unpublished tasks and accounts: not for a shared ward
# PC's disk cache or back/forward history.
PRIVATE_CACHE = "private, no-store"
_SECURITY_ITEMS = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS.items())


def select_locale() -> str:
    """Danish first; English when asked for (?lang=en, remembered in a cookie)."""
    from flask import current_app

    if not has_request_context():  # the CLI and background work speak Danish
        return "da"
    languages = current_app.config["KB_LANGUAGES"]
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return wanted if wanted in languages else "da"


class DatabaseInteger(IntegerConverter):
    """<int:…> in every route, bounded to what an id column holds (PostgreSQL's integer, 2^31 − 1): a larger
    number names no record, so it is a 404, not an overflow in the database driver (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger  # before the blueprints add their rules
    from kb.auth.roles import EDITORS, REVIEWERS, has_role

    # Every page's header shows editors their links (Redaktion, Import og eksport): the roles are app-wide.
    app.jinja_env.globals.update(has_role=has_role, EDITORS=EDITORS, REVIEWERS=REVIEWERS)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        # What setdefault per header would do, in one pass over the response's headers (half the cost; every
        # response pays it, and a kept task page is little else).
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend([(name, value) for lower, name, value in _SECURITY_ITEMS if lower not in present])
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "_user_id" in session:  # signed in (or a stale cookie being refused): never cache the answer
            response.headers["Cache-Control"] = PRIVATE_CACHE
            response.headers.pop("Expires", None)
        lang = request.args.get("lang")
        if lang in app.config["KB_LANGUAGES"]:
            response.set_cookie("lang", lang, samesite="Lax", httponly=True, max_age=365 * 24 * 3600)
        return response

    @app.before_request
    def refuse_control_characters():
        """No slug, setting or search word holds a control character, and PostgreSQL refuses a NUL outright (a 500
        if it got that far): such a path is not found, such a parameter is a bad request. The API checks its own
        parameters against its OpenAPI document (kb/api/params.py)."""
        if request.path.startswith("/api/"):
            return None
        if CONTROL_CHARACTERS.search(request.path):
            abort(404)
        if any(CONTROL_CHARACTERS.search(k) or CONTROL_CHARACTERS.search(v)
               for k, v in request.args.items(multi=True)):
            abort(400)
        return None

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 413:
            limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            error.description = gettext("Forespørgslen er for stor (højst %(kb)s kB). Intet er gemt.",
                                        kb=f"{limit // 1024:,}".replace(",", "."))
        if request.path.startswith("/api/"):
            from kb.api.errors import json_error

            return json_error(error.code or 500, error.name.lower().replace(" ", "_"), error.description or "")
        return render_template("errors/error.html", error=error), error.code

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def database_unavailable(error: sa.exc.DBAPIError):
        """The database is gone or busy (a lost PostgreSQL connection, a locked SQLite file): 503 and a message, not
        a 500. The pool has thrown the broken connection away, so the next request connects afresh."""
        app.logger.warning("database unavailable: %s", str(error).splitlines()[0][:300])
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            pass
        if "_login_user" not in g:  # the page header would ask the database for the user: show it signed out
            g._login_user = login_manager.anonymous_user()
        unavailable = ServiceUnavailable(gettext("Databasen svarer ikke lige nu. Prøv igen om lidt."))
        response = http_error(unavailable)
        response = app.make_response(response)
        response.headers["Retry-After"] = "5"
        return response

    app.jinja_env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS,
        EFFECT_LABELS=EFFECT_LABELS,
        EVIDENCE_LABELS=EVIDENCE_LABELS,
        FIT_LABELS=FIT_LABELS,
        EFFORT_LABELS=EFFORT_LABELS,
        KIND_LABELS=KIND_LABELS,
        SHORTAGE_LABELS=SHORTAGE_LABELS,
        VERDICT_LABELS=VERDICT_LABELS,
        REASON_KIND_LABELS=REASON_KIND_LABELS,
        RULE_EFFECT_LABELS=RULE_EFFECT_LABELS,
        COMPLEXITY_LABELS=COMPLEXITY_LABELS,
        organisation_name=_organisation_name,
    )


def _organisation_name(slug: str) -> str:
    """A region's or municipality's name in the UI language (the who-may context's organisation)."""
    from kb.whomay.facts import load_catalogue

    catalogue = load_catalogue()
    return catalogue.display("organisation", slug, catalogue.knowledge.organisation_name(slug))


def request_context():
    """The engine's context from the request's parameters (kb.whomay.service.parse_context); a bad one is a 400
    with its Danish message naming the parameter."""
    from kb.whomay.service import BadContext, parse_context

    try:
        return parse_context(request.args)
    except BadContext as exc:
        abort(400, description=str(exc))
