"""Routes for the catalogue pages."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, abort, current_app, make_response, render_template, request, stream_with_context, url_for
from flask_babel import gettext
from markupsafe import Markup

from kb.catalogue import bp, entities, export, held, profession_page, queries
from kb.catalogue.takeover_view import takeover_view
from kb.extensions import db
from kb.web import request_context
from kb.httpcache import etag_for, mark_revalidate, not_modified, shared_read
from kb.auth.roles import EDITORS, has_role
from kb.i18n import current_language, localized
from kb.knowledge_state import cached
from kb.models import Profession
from kb.models.enums import TASK_CATEGORIES
from kb.whomay.service import BadContext, differences, matrix_by_slug, parse_context

ARTICLE_MARK = "<!--record-links-->"
# Where an article's parts go in the page rendered around them (_around); random, so no text of a task can hold it.
_HEAD_SLOT, _BODY_SLOT = (f"<!--kb-{part}-{uuid.uuid4().hex}-->" for part in ("head", "body"))
_TASK_PARAMETERS = frozenset({"setting", "complexity", "date", "organisation", "lang"})


@bp.get("/")
def home():
    category = request.args.get("category")
    if category not in TASK_CATEGORIES:
        category = None
    tasks, total = queries.task_list(queries.TaskFilter(category=category, limit=1000))
    return render_template("catalogue/home.html", counts=queries.counts(), tasks=tasks, total=total,
                           category=category)


@bp.get("/tasks/<slug>")
def task(slug: str):
    context = request_context()
    # An anonymous reader without a session gets the page every such reader of this path gets: tagged from the
    # knowledge token, the language, today and the path (304 before any work), and kept whole beside its article.
    shared = shared_read()
    etag = etag_for("task-page", request.full_path) if shared else None
    unchanged = not_modified(etag, mark=mark_revalidate)
    if unchanged is not None:
        return unchanged
    article = _task_article(slug, context, request.args.get("date"), shared)
    if article is None:
        abort(404, description=gettext("Opgaven findes ikke."))
    if shared and article.page_for == request.full_path:
        response = make_response(article.html)
    else:
        edit_rules = queries.task_rules(slug) if has_role(EDITORS) else []
        response = make_response(render_template("catalogue/task.html", article=article, edit_rules=edit_rules))
    if etag is not None:
        mark_revalidate(response, etag)
    return response


@dataclass(frozen=True)
class TaskArticle:
    slug: str
    title: str  # in the page's language
    # The article, or the whole anonymous page for `page_for` around it: one copy of the article either way, in
    # UTF-8, so that page is sent as it is kept (encoding ~150 kB per request was a tenth of a cached page's time).
    html: bytes
    head_span: slice  # category and heading
    body_span: slice  # everything after the editors' links: facts, who-may, requirements, rules, evidence, sources
    page_for: str | None = None  # the request path (with its query) whose anonymous page `html` is

    @property
    def head(self) -> Markup:
        return Markup(self.html[self.head_span].decode())

    @property
    def body(self) -> Markup:
        return Markup(self.html[self.body_span].decode())


@dataclass(frozen=True)
class _Slots:
    """What task.html needs of an article, with markers where the article's parts go (the page around them)."""
    slug: str
    title: str
    head: Markup = Markup(_HEAD_SLOT)
    body: Markup = Markup(_BODY_SLOT)


def _joined(*parts: str) -> tuple[bytes, list[slice]]:
    """The parts in UTF-8, one after another, and where each is."""
    encoded = [part.encode() for part in parts]
    spans, at = [], 0
    for part in encoded:
        spans.append(slice(at, at + len(part)))
        at += len(part)
    return b"".join(encoded), spans


def _around(slug: str, title: str, head: str, body: str) -> tuple[bytes, slice, slice]:
    """The anonymous page with the article's parts in it, and where they are. The page is task.html rendered once
    with markers for the parts, so it is exactly what rendering it with the article gives."""
    shell = render_template("catalogue/task.html", article=_Slots(slug, title), edit_rules=[])
    before, _, rest = shell.partition(_HEAD_SLOT)
    between, _, after = rest.partition(_BODY_SLOT)
    page, spans = _joined(before, head, between, body, after)
    return page, spans[1], spans[3]


def _task_article(slug: str, context, raw_date: str | None, shared: bool = False) -> TaskArticle | None:
    """The task page's article, rendered once per task, context, language and knowledge version in each process;
    built for a `shared` (anonymous, sessionless) request, the whole page around it for that request's path.

    It is the same for every user (the editors' links are added outside it) and was nearly all of the page's time
    on a national catalogue: the who-may section alone is 100 professions with conditions and cited reasons, ~140 kB
    of HTML, and the task with its collections is a dozen queries (docs/benchmark.md). The page around it (header,
    navigation, language switch: ~1 ms) is kept for the path that built it, which is the plain /tasks/<slug> of most
    readers: other paths and signed-in readers get it rendered around the kept article."""
    def render() -> TaskArticle | None:
        task = queries.task_by_slug(slug)
        if task is None or task.status != "published":
            return None
        matrix = matrix_by_slug(slug, context)
        html = render_template("catalogue/_task_article.html", task=task, matrix=matrix, context=context,
                               settings=queries.settings(), print_view=False, differences=differences(matrix))
        head, _, body = html.partition(ARTICLE_MARK)
        title = localized(task, "title")
        if shared and _keepable_path():
            page, head_span, body_span = _around(slug, title, head, body)
            return TaskArticle(slug, title, page, head_span, body_span, page_for=request.full_path)
        html, (head_span, body_span) = _joined(head, body)
        return TaskArticle(slug, title, html, head_span, body_span)

    if not current_app.config["KB_PAGE_CACHE"]:
        return render()
    name = (f"{slug}|{context.setting}|{context.complexity}|{context.on.isoformat()}|{context.organisation}|{raw_date}|"
            f"{current_language()}")
    return cached(db.session, "catalogue.task_article", name, render)


def _keepable_path() -> bool:
    """Only a path whose query is the page's own parameters is kept with its page: any other query (``?x=…``) would
    leave the article's entry with a page that its next readers, asking for the plain path, cannot use."""
    return set(request.args) <= _TASK_PARAMETERS


@bp.get("/professions/")
def professions():
    return render_template("catalogue/professions.html", professions=queries.profession_list())


@bp.get("/professions/<slug>")
def profession(slug: str):
    profession = queries.profession_by_slug(slug)
    if profession is None:
        abort(404, description=gettext("Faggruppen findes ikke."))
    try:
        context = parse_context(request.args)
        args = profession_page.parse_list_args(request.args)
    except (BadContext, profession_page.BadListArgs) as exc:
        abort(400, description=str(exc))
    setting = held.setting_of(context.setting)
    page = profession_page.build(profession, takeover_view(slug, context), args,
                                 setting.id if setting else None)
    kept = {k: v for k, v in request.args.items() if v and k != "lang"}

    def link(anchor: str | None = None, **changes) -> str:
        """This page with the parameters given changed (None drops one), the others kept."""
        merged = {k: v for k, v in {**kept, **changes}.items() if v is not None and v != ""}
        return url_for("catalogue.profession", slug=slug, _anchor=anchor, **merged)

    def export_url(what: str, fmt: str) -> str:
        context_args = {k: kept[k] for k in ("setting", "complexity", "date", "organisation") if k in kept}
        return url_for(f"catalogue.profession_{what}_{fmt}", slug=slug, **context_args)

    # One url_for, not one per listed task (a tenth of the page's time for its 200-odd links, profiled): slugs are
    # URL-safe (kb.knowledge.schema.SLUG_RE), so the address is the route's prefix and the slug.
    prefix = url_for("catalogue.task", slug="-").removesuffix("-")

    def task_href(task_slug: str) -> str:
        return prefix + task_slug

    return render_template(
        "catalogue/profession.html", profession=profession, page=page, link=link, export_url=export_url,
        setting=setting, reserving=queries.reserving_provisions(profession),
        per_page=profession_page.HELD_PER_PAGE, task_href=task_href)


def _export(slug: str, what: str, fmt: str):
    """/professions/<slug>/tasks.csv|.xlsx and takeover.csv|.xlsx: the page's full lists (kb/catalogue/export.py),
    in the page's context (?setting= narrows the held tasks, the who-may context the take-overs)."""
    profession = db.session.scalar(sa.select(Profession).where(Profession.slug == slug))
    if profession is None:
        abort(404, description=gettext("Faggruppen findes ikke."))
    context = request_context()
    if what == "tasks":
        setting = held.setting_of(context.setting)
        header, rows = export.held_header(), export.held_rows(profession.id, setting.id if setting else None)
        title = gettext("Opgaver")
    else:
        header, rows = export.takeover_header(), export.takeover_rows(takeover_view(slug, context))
        title = gettext("Kan overtage")
    suffix = f"-{context.setting}" if context.setting else ""
    filename = f"{slug}-{'opgaver' if what == 'tasks' else 'kan-overtage'}{suffix}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        body = stream_with_context(export.csv_chunks(header, rows))
    else:
        body = export.file_chunks(export.xlsx_file(header, rows, title))  # built before the response starts
    return Response(body, mimetype=export.MIME[fmt], headers=headers)


def _export_view(what: str, fmt: str):
    def view(slug: str):
        return _export(slug, what, fmt)

    view.__name__ = f"profession_{what}_{fmt}"
    return view


# An endpoint per list and format (catalogue.profession_tasks_csv, …): fixed addresses, no URL arguments to guess.
for _what in export.LISTS:
    for _fmt in export.FORMATS:
        bp.add_url_rule(f"/professions/<slug>/{_what}.{_fmt}", f"profession_{_what}_{_fmt}",
                        _export_view(_what, _fmt), methods=["GET"])


@bp.get("/law/")
def law():
    return render_template("catalogue/law.html", acts=queries.legal_acts())


CONTEXT_LINES = 15
MAX_SPAN = 600
MAX_LINE = 10_000_000


@bp.get("/sources/<slug>")
def source(slug: str):
    """Show the cited lines of a source report (with some context), so a citation can be checked by eye."""
    document = queries.source_document(slug)
    if document is None:
        abort(404, description=gettext("Kilden findes ikke."))
    try:
        first = max(1, int(request.args.get("from", 1)))
        last = max(first, int(request.args.get("to", first)))
    except ValueError:
        abort(400, description=gettext("Linjenumre skal være heltal."))
    if last > MAX_LINE:  # no report is this long; a huge number would only break the line reader
        abort(400, description=gettext("Linjenumre skal være højst %(max)s.", max=f"{MAX_LINE:,}".replace(",", ".")))
    last = min(last, first + MAX_SPAN)
    lines = queries.source_lines(document, max(1, first - CONTEXT_LINES), last + CONTEXT_LINES)
    return render_template("catalogue/source.html", document=document, lines=lines, first=first, last=last,
                           available=lines is not None)


@bp.get("/provisions/<slug>")
def provision(slug: str):
    p = entities.provision(slug)
    if p is None:
        abort(404, description=gettext("Bestemmelsen findes ikke."))
    return render_template("catalogue/provision.html", provision=p, tasks=entities.tasks_governed_by(p),
                           rules=entities.rules_citing(p))


@bp.get("/competences/")
def competences():
    return render_template("catalogue/competences.html", competences=entities.competences())


@bp.get("/competences/<slug>")
def competence(slug: str):
    found = entities.competence(slug)
    if found is None:
        abort(404, description=gettext("Kompetencen findes ikke."))
    c, requirements, professions, educations = found
    return render_template("catalogue/competence.html", competence=c, requirements=requirements,
                           professions=professions, educations=educations)


@bp.get("/educations/")
def educations():
    return render_template("catalogue/educations.html", educations=entities.educations())


@bp.get("/educations/<slug>")
def education(slug: str):
    e = entities.education(slug)
    if e is None:
        abort(404, description=gettext("Uddannelsestilbuddet findes ikke."))
    return render_template("catalogue/education.html", education=e)
