"""Cross-cutting web concerns: security headers, language choice, error pages, template helpers."""
from __future__ import annotations

from flask import Flask, Response, has_request_context, render_template, request
from werkzeug.exceptions import HTTPException

from kb.models.enums import (
    CATEGORY_LABELS, EFFECT_LABELS, EVIDENCE_LABELS, KIND_LABELS, REASON_KIND_LABELS, RULE_EFFECT_LABELS,
    SHORTAGE_LABELS, VERDICT_LABELS,
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
}


def select_locale() -> str:
    """Danish first; English when asked for (?lang=en, remembered in a cookie)."""
    from flask import current_app

    if not has_request_context():  # the CLI and background work speak Danish
        return "da"
    languages = current_app.config["KB_LANGUAGES"]
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return wanted if wanted in languages else "da"


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        lang = request.args.get("lang")
        if lang in app.config["KB_LANGUAGES"]:
            response.set_cookie("lang", lang, samesite="Lax", httponly=True, max_age=365 * 24 * 3600)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):
            from kb.api.errors import json_error

            return json_error(error.code or 500, error.name.lower().replace(" ", "_"), error.description or "")
        return render_template("errors/error.html", error=error), error.code

    app.jinja_env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS,
        EFFECT_LABELS=EFFECT_LABELS,
        EVIDENCE_LABELS=EVIDENCE_LABELS,
        KIND_LABELS=KIND_LABELS,
        SHORTAGE_LABELS=SHORTAGE_LABELS,
        VERDICT_LABELS=VERDICT_LABELS,
        REASON_KIND_LABELS=REASON_KIND_LABELS,
        RULE_EFFECT_LABELS=RULE_EFFECT_LABELS,
    )
