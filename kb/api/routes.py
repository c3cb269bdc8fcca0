"""API v1 routes. Bad parameters are 400, unknown slugs 404, both as JSON errors."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from kb import models as m
from kb.api import bp, serializers
from kb.api.errors import ApiError, json_error
from kb.api.params import MAX_LIMIT, int_param, shown
from kb.catalogue import entities, queries
from kb.extensions import db
from kb.models.enums import PROVISION_EFFECTS, TASK_CATEGORIES



@bp.app_errorhandler(ApiError)
def api_error(error: ApiError):
    return json_error(error.status, error.code, error.message)


def _exists(model, slug: str) -> bool:
    """A filter naming a setting or profession that does not exist is a bad parameter, not an empty list."""
    return db.session.scalar(sa.select(model.id).where(model.slug == slug)) is not None




@bp.get("/professions")
def professions():
    items = [serializers.profession_summary(p) for p in queries.profession_list()]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/professions/<slug>")
def profession(slug: str):
    """A profession with one page of the tasks it holds (?limit=, ?offset=; tasks_held_total counts them all): a
    nurse holds 16,000 tasks at national size. /api/v1/tasks?holder=<slug> pages the same list with filters."""
    p = queries.profession_by_slug(slug)
    if p is None:
        raise ApiError(404, "not_found", f"Ukendt faggruppe: '{slug}'.")
    limit, offset = int_param("limit", 50, 1, MAX_LIMIT), int_param("offset", 0, 0, 10**9)
    held, total = queries.task_list(queries.TaskFilter(holder=slug, limit=limit, offset=offset))
    return jsonify(serializers.profession_detail(p, held, queries.reserving_provisions(p), total=total, limit=limit,
                                                 offset=offset))


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
        limit=int_param("limit", 50, 1, MAX_LIMIT),
        offset=int_param("offset", 0, 0, 10**9),
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


@bp.get("/provisions")
def provisions():
    """Provisions of the law and of organisational agreements, with how each was verified (paged)."""
    act = (request.args.get("act") or "").strip() or None
    if act is not None and not _exists(m.LegalAct, act):
        raise ApiError(400, "bad_parameter", f"'act': ukendt retsakt '{shown(act)}'.")
    raw_verified = (request.args.get("verified") or "").strip() or None
    if raw_verified not in (None, "true", "false"):
        raise ApiError(400, "bad_parameter", "'verified' skal være true eller false.")
    effect = (request.args.get("effect") or "").strip() or None
    if effect is not None and effect not in PROVISION_EFFECTS:
        raise ApiError(400, "bad_parameter", f"'effect' skal være en af {', '.join(PROVISION_EFFECTS)}.")
    limit, offset = int_param("limit", 50, 1, MAX_LIMIT), int_param("offset", 0, 0, 10**9)
    items, total = entities.provision_list(act=act, verified=None if raw_verified is None else raw_verified == "true",
                                           effect=effect, limit=limit, offset=offset)
    return jsonify({"items": [serializers.provision_detail(p) for p in items], "total": total,
                    "limit": limit, "offset": offset})


@bp.get("/provisions/<slug>")
def provision(slug: str):
    p = entities.provision(slug)
    if p is None:
        raise ApiError(404, "not_found", f"Ukendt bestemmelse: '{slug}'.")
    return jsonify(serializers.provision_detail(p, entities.tasks_governed_by(p)))
