"""Routes for the catalogue pages."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template, request
from flask_babel import gettext
from markupsafe import Markup

from kb.catalogue import bp, entities, queries
from kb.extensions import db
from kb.auth.roles import EDITORS, has_role
from kb.i18n import current_language, localized
from kb.knowledge_state import cached
from kb.models.enums import TASK_CATEGORIES
from kb.whomay.service import BadContext, differences, matrix_by_slug, parse_context, takeover_for

ARTICLE_MARK = "<!--record-links-->"


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
    try:
        context = parse_context(request.args)
    except BadContext as exc:
        abort(400, description=str(exc))
    article = _task_article(slug, context, request.args.get("date"))
    if article is None:
        abort(404, description=gettext("Opgaven findes ikke."))
    edit_rules = queries.task_rules(slug) if has_role(EDITORS) else []
    return render_template("catalogue/task.html", article=article, edit_rules=edit_rules)


@dataclass(frozen=True)
class TaskArticle:
    slug: str
    title: str  # in the page's language
    head: Markup  # category and heading
    body: Markup  # everything after the editors' links: facts, who-may, requirements, rules, evidence, sources


def _task_article(slug: str, context, raw_date: str | None) -> TaskArticle | None:
    """The task page's article, rendered once per task, context, language and knowledge version in each process.

    It is the same for every user (the editors' links are added outside it) and was nearly all of the page's time
    on a national catalogue: the who-may section alone is 100 professions with conditions and cited reasons, ~140 kB
    of HTML, and the task with its collections is a dozen queries (docs/benchmark.md)."""
    def render() -> TaskArticle | None:
        task = queries.task_by_slug(slug)
        if task is None or task.status != "published":
            return None
        matrix = matrix_by_slug(slug, context)
        html = render_template("catalogue/_task_article.html", task=task, matrix=matrix, context=context,
                               settings=queries.settings(), print_view=False, differences=differences(matrix))
        head, _, body = html.partition(ARTICLE_MARK)
        return TaskArticle(slug=slug, title=localized(task, "title"), head=Markup(head), body=Markup(body))

    if not current_app.config["KB_PAGE_CACHE"]:
        return render()
    name = (f"{slug}|{context.setting}|{context.complexity}|{context.on.isoformat()}|{context.organisation}|{raw_date}|"
            f"{current_language()}")
    return cached(db.session, "catalogue.task_article", name, render)


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
    except BadContext as exc:
        abort(400, description=str(exc))
    return render_template(
        "catalogue/profession.html", profession=profession, tasks=queries.tasks_held_by(profession),
        reserving=queries.reserving_provisions(profession), takeover=takeover_for(slug, context) or [])


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
