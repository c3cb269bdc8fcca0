"""PDFs (WeasyPrint): role descriptions (funktionsbeskrivelser), task sheets and shift plans.

Rendered from templates/pdf/, which reuse the pages' partials; the content comes from the same services as the
pages (kb.whomay, kb.plans), so a PDF says what the page says. Routes sit beside the pages they print:
/professions/<slug>/role.pdf, /tasks/<slug>/sheet.pdf, /plans/<id>.pdf. Role descriptions and task sheets are
rendered once per knowledge version and context and kept in the database (kb/pdf/store.py).
"""
from flask import Blueprint

bp = Blueprint("pdf", __name__)


@bp.record_once
def _render_slots(state) -> None:
    from kb.pdf import store

    store.init_app(state.app)  # the per-process render slots (KB_PDF_RENDERS)


from kb.pdf import routes  # noqa: E402,F401
