"""GET /search: Danish search with facets (category, setting, current holder, verdict for a chosen profession).

A plain GET form works without JavaScript; with htmx the box in the header asks again as you type and gets only
the results partial back (HX-Request header), which replaces #search-results.
"""
from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for

from kb import models as m
from kb.extensions import db
from kb.models.enums import TASK_CATEGORIES
from kb.search.facets import FACETS, find, page_tasks
from kb.search.highlight import SNIPPET, highlight, match_stems
from kb.search.index import snapshot

bp = Blueprint("search", __name__)

PER_PAGE = 20
QUERY_SAFE = "!$'()*,/:;?@"  # what url_for leaves unescaped in a query string (werkzeug.urls._urlencode)


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

    # find() pages in SQL and clamps a page past the last to the last
    found = find(q, chosen, profession, partial, page, PER_PAGE)
    profession, page, pages = found.profession, found.page, found.pages

    snap = snapshot(db.session)
    stems = match_stems(found.query, snap.synonyms) if found.query else frozenset()

    def mark(text: str, limit: int | None = None):
        return highlight(text, stems, snap.vocabulary, limit)

    path = url_for("search.search")

    def link(**changes) -> str:
        # A link per facet value (a common word's tasks have ~100 holders): the query string encoded as url_for
        # encodes it (werkzeug: urlencode with the WHATWG safe set), without a route build per link.
        args = {"q": q, "profession": profession, **chosen, "page": None, **changes}
        items = [(k, v) for k, v in args.items() if v]
        return f"{path}?{urlencode(items, safe=QUERY_SAFE)}" if items else path

    names = {
        "setting": dict(db.session.execute(sa.select(m.Setting.slug, m.Setting.name)).all()),
        "holder": dict(db.session.execute(sa.select(m.Profession.slug, m.Profession.name)).all()),
    }
    context = dict(q=q, tasks=page_tasks(found.shown),
                   total=found.total, page=page, pages=pages, counts=found.counts, chosen=chosen,
                   profession=profession, verdicts=found.verdicts, others=found.others, mark=mark, link=link, names=names, snippet=SNIPPET,
                   professions=sorted(names["holder"].items(), key=lambda kv: kv[1]))
    template = "search/_results.html" if partial else "search/results.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}
