"""JSON API for who-may (contract paths under /api/v1) and the CLI command `kb who-may`."""
from __future__ import annotations

from flask import jsonify, request

from kb.api import bp as api_bp
from kb.api.errors import ApiError
from kb.api.serializers import task_summary
from kb.rules import Result
from kb.whomay.service import BadContext, matrix_by_slug, parse_context, shiftable_for


def _context():
    try:
        return parse_context(request.args)
    except BadContext as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def _context_dict(context) -> dict:
    return {"setting": context.setting, "complexity": context.complexity, "date": context.on.isoformat()}


def result_dict(result: Result, names) -> dict:
    return {**result.to_dict(), "profession_name": names(result.profession)}


@api_bp.get("/tasks/<slug>/who-may")
def who_may(slug: str):
    context = _context()
    matrix = matrix_by_slug(slug, context)
    if matrix is None:
        raise ApiError(404, "not_found", f"Ukendt opgave: '{slug}'.")
    return jsonify({
        "task": {"slug": matrix.task.slug, "title": matrix.task.title, "category": matrix.task.category},
        "context": _context_dict(context),
        "results": [result_dict(r, matrix.name) for r in matrix.results],
    })


@api_bp.get("/professions/<slug>/shiftable")
def shiftable(slug: str):
    context = _context()
    try:
        limit = int(request.args.get("takers", 5))
    except ValueError:
        raise ApiError(400, "bad_parameter", "'takers' skal være et heltal.") from None
    if not 1 <= limit <= 50:
        raise ApiError(400, "bad_parameter", "'takers' skal ligge mellem 1 og 50.")
    items, catalogue = shiftable_for(slug, context, limit_takers=limit)
    if items is None:
        raise ApiError(404, "not_found", f"Ukendt faggruppe: '{slug}'.")
    names = catalogue.knowledge.profession_name
    return jsonify({
        "profession": slug,
        "context": _context_dict(context),
        "items": [{"task": {"slug": t.slug, "title": t.title, "category": t.category},
                   "takers": [result_dict(r, names) for r in takers]} for t, takers in items],
        "total": len(items),
    })
