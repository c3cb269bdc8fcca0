"""GET /search: Danish search with facets (category, setting, current holder, verdict for a chosen profession).

A plain GET form works without JavaScript; with htmx the box in the header asks again as you type and gets only
the results partial back (HX-Request header), which replaces #search-results.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from kb import models as m
from kb.extensions import db
from kb.models.enums import TASK_CATEGORIES
from kb.search.query import analyse_query
from kb.search.facets import FACETS, find, page_tasks
from kb.search.highlight import SNIPPET, highlight, match_stems
from kb.search.index import snapshot

bp = Blueprint("search", __name__)

PER_PAGE = 20


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

    found = find(q, chosen, profession, partial)
    shown, profession = found.shown, found.profession
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
    context = dict(q=q, tasks=page_tasks(shown[(page - 1) * PER_PAGE: page * PER_PAGE]),
                   total=len(shown), page=page, pages=pages, counts=found.counts, chosen=chosen,
                   profession=profession, verdicts=found.verdicts, others=found.others, mark=mark, link=link, names=names, snippet=SNIPPET,
                   professions=sorted(names["holder"].items(), key=lambda kv: kv[1]))
    template = "search/_results.html" if partial else "search/results.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}
