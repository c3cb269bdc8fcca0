"""GET /search: Danish search with facets (category, setting, current holder, verdict for a chosen profession).

A plain GET form works without JavaScript; with htmx the box in the header asks again as you type and gets only
the results partial back (HX-Request header), which replaces #search-results.
"""
from __future__ import annotations

from collections import Counter
from typing import Collection

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.models.enums import TASK_CATEGORIES
from kb.models.task import task_holder, task_setting
from kb.search import analyse_query, search_all, search_tasks
from kb.search.highlight import SNIPPET, highlight, match_stems
from kb.search.index import snapshot
from kb.whomay.facts import make_context
from kb.whomay.service import verdicts_for

bp = Blueprint("search", __name__)

PER_PAGE = 20
FACETS = ("category", "setting", "holder", "verdict")


def _facet_values(ids: list[int]) -> dict[int, dict[str, Collection[str]]]:
    """Category, settings and holders of each task by column queries. A common word matches thousands of tasks;
    building a Task object (with its collections) for each only to count facets cost most of the page's time on a
    national-size catalogue (docs/benchmark.md). Only the page's own tasks are loaded as objects."""
    if not ids:
        return {}
    values = {i: {"category": (c,)} for i, c in db.session.execute(
        sa.select(m.Task.id, m.Task.category).where(m.Task.id.in_(ids)))}
    for facet, link, model, column in (("setting", task_setting, m.Setting, "setting_id"),
                                       ("holder", task_holder, m.Profession, "profession_id")):
        for task_id, slug in db.session.execute(sa.select(link.c.task_id, model.slug).join(
                model, model.id == link.c[column]).where(link.c.task_id.in_(ids))):
            values[task_id].setdefault(facet, set()).add(slug)
    return values


def _facets(ids: list[int], values, chosen) -> tuple[list[int], dict[str, Counter]]:
    """Ids of tasks passing every chosen facet, and per facet the counts among tasks passing the *other* facets."""
    def passes(i, skip=None) -> bool:
        return all(v in values[i].get(f, ()) for f, v in chosen.items() if v and f != skip)

    counts = {f: Counter(x for i in ids if passes(i, f) for x in values[i].get(f, ())) for f in FACETS}
    return [i for i in ids if passes(i)], counts


def _page_tasks(ids: list[int]) -> list[m.Task]:
    """The page's tasks in order, loaded with holders and settings."""
    found = {t.id: t for t in db.session.scalars(sa.select(m.Task).where(m.Task.id.in_(ids)).options(
        selectinload(m.Task.holders), selectinload(m.Task.settings)))} if ids else {}
    return [found[i] for i in ids]


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

    task_ids: list[int] = []
    values: dict[int, dict[str, Collection[str]]] = {}
    others: dict = {}
    verdicts = None
    if q:
        ids, _ = search_tasks(q, limit=None, complete=partial)
        values = _facet_values(ids)
        task_ids = [i for i in ids if i in values]
        if profession:  # the verdict facet needs the engine's answer for every match
            verdicts = verdicts_for(task_ids, profession, make_context(chosen["setting"]))
            if verdicts is None:
                profession = None
            else:
                task_ids = [i for i in task_ids if i in verdicts]
                for i in task_ids:
                    values[i]["verdict"] = {verdicts[i].value}
        others = search_all(q, limit=5, complete=partial)
    if not verdicts:
        chosen["verdict"] = None
    shown, counts = _facets(task_ids, values, chosen)
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
    context = dict(q=q, tasks=_page_tasks(shown[(page - 1) * PER_PAGE: page * PER_PAGE]),
                   total=len(shown), page=page, pages=pages, counts=counts, chosen=chosen, profession=profession,
                   verdicts=verdicts or {}, others=others, mark=mark, link=link, names=names, snippet=SNIPPET,
                   professions=sorted(names["holder"].items(), key=lambda kv: kv[1]))
    template = "search/_results.html" if partial else "search/results.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}
