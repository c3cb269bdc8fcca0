"""Import and export of records as spreadsheets (import/eksport): tasks, professions, competences and rules as CSV
or XLSX; import with a dry run, then an all-or-nothing commit into history.

cells.py (field ↔ cell text), sheets.py (CSV/XLSX files), service.py (export, dry run, commit), jobs.py (the
upload kept between the steps, work on a background thread with progress), routes.py (/overfoersel), cli.py
(`kb import`, `kb export`).
"""
from flask import Blueprint

bp = Blueprint("transfer", __name__)

from kb.transfer import routes  # noqa: E402,F401
