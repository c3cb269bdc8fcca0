"""GET /search: Danish search with facets (category, setting, current holder, verdict for a chosen profession).

A plain GET form works without JavaScript; with htmx the box in the header asks again as you type and gets only
the results partial back (HX-Request header), which replaces #search-results.
"""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.models.enums import TASK_CATEGORIES
from kb.rules import Verdict, who_may_one
from kb.search import analyse_query, search_all, search_tasks
from kb.search.highlight import SNIPPET, highlight, match_stems
from kb.search.index import snapshot
from kb.whomay.facts import TASK_LOADS, load_catalogue, make_context, task_fact

bp = Blueprint("search", __name__)

PER_PAGE = 20
FACETS = ("category", "setting", "holder", "verdict")


def _verdicts(tasks: list[m.Task], profession: str, setting: str | None) -> dict[int, Verdict] | None:
    """Each task's verdict for the chosen profession (the who-may engine), or None for an unknown profession."""
    catalogue = load_catalogue()
    fact = catalogue.profession(profession)
    if fact is None:
        return None
    context = make_context(setting)
    return {t.id: who_may_one(task_fact(t), fact, context, catalogue.knowledge).verdict for t in tasks}


def _values(task: m.Task, verdicts: dict[int, Verdict] | None) -> dict[str, set[str]]:
    return {"category": {task.category}, "setting": {s.slug for s in task.settings},
            "holder": {h.slug for h in task.holders},
            "verdict": {verdicts[task.id].value} if verdicts else set()}


def _facets(tasks, values, chosen) -> tuple[list[m.Task], dict[str, Counter]]:
    """Tasks passing every chosen facet, and per facet the counts among tasks passing the *other* facets."""
    def passes(t, skip=None) -> bool:
        return all(v in values[t.id][f] for f, v in chosen.items() if v and f != skip)

    counts = {f: Counter(x for t in tasks if passes(t, f) for x in values[t.id][f]) for f in FACETS}
    return [t for t in tasks if passes(t)], counts


@bp.get("/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    chosen = {f: (request.args.get(f) or "").strip() or None for f in FACETS}
    profession = (request.args.get("profession") or "").strip() or None
    if chosen["category"] not in TASK_CATEGORIES:
        chosen["category"] = None
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    partial = request.headers.get("HX-Request") == "true"

    tasks: list[m.Task] = []
    others: dict = {}
    verdicts = None
    if q:
        ids, _ = search_tasks(q, limit=None, complete=partial)
        options = TASK_LOADS + (selectinload(m.Task.settings),) if profession else (
            selectinload(m.Task.holders), selectinload(m.Task.settings))
        rows = {t.id: t for t in db.session.scalars(sa.select(m.Task).where(m.Task.id.in_(ids)).options(*options))}
        tasks = [rows[i] for i in ids if i in rows]
        if profession:
            verdicts = _verdicts(tasks, profession, chosen["setting"])
            if verdicts is None:
                profession = None
        others = search_all(q, limit=5, complete=partial)
    if not verdicts:
        chosen["verdict"] = None
    values = {t.id: _values(t, verdicts) for t in tasks}
    shown, counts = _facets(tasks, values, chosen)
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = min(page, pages)

    snap = snapshot(db.session)
    stems = match_stems(analyse_query(q, complete=partial), snap.synonyms) if q else frozenset()

    def mark(text: str, limit: int | None = None):
        return highlight(text, stems, snap.vocabulary, limit)

    def link(**changes) -> str:
        args = {"q": q, "profession": profession, **chosen, "page": None, **changes}
        return url_for("search.search", **{k: v for k, v in args.items() if v})

    names = {
        "setting": dict(db.session.execute(sa.select(m.Setting.slug, m.Setting.name)).all()),
        "holder": dict(db.session.execute(sa.select(m.Profession.slug, m.Profession.name)).all()),
    }
    context = dict(q=q, tasks=shown[(page - 1) * PER_PAGE: page * PER_PAGE], total=len(shown), page=page,
                   pages=pages, counts=counts, chosen=chosen, profession=profession, verdicts=verdicts or {},
                   others=others, mark=mark, link=link, names=names, snippet=SNIPPET,
                   professions=sorted(names["holder"].items(), key=lambda kv: kv[1]))
    template = "search/_results.html" if partial else "search/results.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}
