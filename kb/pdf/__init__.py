"""PDFs (WeasyPrint): role descriptions (funktionsbeskrivelser), task sheets and shift plans.

Rendered from templates/pdf/, which reuse the pages' partials; the content comes from the same services as the
pages (kb.whomay, kb.plans), so a PDF says what the page says. Routes sit beside the pages they print:
/professions/<slug>/role.pdf, /tasks/<slug>/sheet.pdf, /plans/<id>.pdf.
"""
from flask import Blueprint

bp = Blueprint("pdf", __name__)

from kb.pdf import routes  # noqa: E402,F401
