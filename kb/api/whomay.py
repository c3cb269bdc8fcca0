"""JSON API for who-may and shiftable (contract paths under /api/v1): the engine asked through kb.whomay.service."""
from __future__ import annotations

from flask import jsonify, request

from kb.api import bp as api_bp
from kb.api.errors import ApiError
from kb.api.params import MAX_LIMIT, int_param
from kb.rules import Result
from kb.whomay.service import BadContext, matrix_by_slug, parse_context, shiftable_for


def _context():
    try:
        return parse_context(request.args)
    except BadContext as exc:
        raise ApiError(400, "bad_parameter", str(exc)) from None


def _context_dict(context) -> dict:
    return {"setting": context.setting, "complexity": context.complexity, "date": context.on.isoformat(),
            "organisation": context.organisation}


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
    takers = int_param("takers", 5, 1, 50)
    limit = int_param("limit", 50, 1, MAX_LIMIT)
    offset = int_param("offset", 0, 0, 10**9)
    found = shiftable_for(slug, context, limit_takers=takers)
    if found is None:
        raise ApiError(404, "not_found", f"Ukendt faggruppe: '{slug}'.")
    names = found.catalogue.knowledge.profession_name
    return jsonify({
        "profession": slug,
        "context": _context_dict(context),
        "items": [{"task": {"slug": t.slug, "title": t.title, "category": t.category},
                   "takers": [result_dict(r, names) for r in results]} for t, results in found.page(offset, limit)],
        "total": found.total, "limit": limit, "offset": offset,
    })
