"""API v1 routes. Bad parameters are 400, unknown slugs 404, both as JSON errors."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from kb import models as m
from kb.api import bp, serializers
from kb.api.errors import ApiError, json_error
from kb.api.params import int_param, shown
from kb.catalogue import queries
from kb.extensions import db
from kb.models.enums import TASK_CATEGORIES

MAX_LIMIT = 500


@bp.app_errorhandler(ApiError)
def api_error(error: ApiError):
    return json_error(error.status, error.code, error.message)


def _exists(model, slug: str) -> bool:
    """A filter naming a setting or profession that does not exist is a bad parameter, not an empty list."""
    return db.session.scalar(sa.select(model.id).where(model.slug == slug)) is not None


_int_param = int_param  # the API's integer parameters are read the same way everywhere


@bp.get("/professions")
def professions():
    items = [serializers.profession_summary(p) for p in queries.profession_list()]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/professions/<slug>")
def profession(slug: str):
    p = queries.profession_by_slug(slug)
    if p is None:
        raise ApiError(404, "not_found", f"Ukendt faggruppe: '{slug}'.")
    return jsonify(serializers.profession_detail(p, queries.tasks_held_by(p), queries.reserving_provisions(p)))


@bp.get("/tasks")
def tasks():
    category = request.args.get("category") or None
    if category is not None and category not in TASK_CATEGORIES:
        raise ApiError(400, "bad_parameter", f"'category' skal være en af {', '.join(TASK_CATEGORIES)}.")
    setting = (request.args.get("setting") or "").strip() or None
    holder = (request.args.get("holder") or "").strip() or None
    if setting is not None and not _exists(m.Setting, setting):
        raise ApiError(400, "bad_parameter", f"'setting': ukendt miljø '{shown(setting)}'.")
    if holder is not None and not _exists(m.Profession, holder):
        raise ApiError(400, "bad_parameter", f"'holder': ukendt faggruppe '{shown(holder)}'.")
    f = queries.TaskFilter(
        q=request.args.get("q", "")[:200],
        category=category,
        setting=setting,
        holder=holder,
        limit=_int_param("limit", 50, 1, MAX_LIMIT),
        offset=_int_param("offset", 0, 0, 10**9),
    )
    items, total = queries.task_list(f)
    return jsonify({"items": [serializers.task_summary(t) for t in items], "total": total,
                    "limit": f.limit, "offset": f.offset})


@bp.get("/tasks/<slug>")
def task(slug: str):
    t = queries.task_by_slug(slug)
    if t is None or t.status != "published":
        raise ApiError(404, "not_found", f"Ukendt opgave: '{slug}'.")
    return jsonify(serializers.task_detail(t))
