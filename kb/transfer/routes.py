"""Pages for import and export (/overfoersel): the export links, the upload for a dry run, the job page with its
progress and then the dry run's additions, changes and errors, and the commit.

Who may: export and the dry run are for editors and up — export includes tasks that are not published, and the
file is the first half of a round trip back into the database. Importing publishes without a second pair of eyes,
so only reviewers and admins may commit; the importer's reason goes into every record's history.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from flask import (Response, abort, current_app, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from kb.auth.roles import EDITORS, REVIEWERS, has_role, role_required
from kb.extensions import db
from kb.transfer import bp, jobs, sheets
from kb.transfer.export import TRANSFER_KINDS, export_file
from kb.transfer.columns import COLUMNS, FILE_NAMES
from kb.transfer.forms import KIND_CHOICES, CommitForm, UploadForm

MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
STEPS = {"queued": lazy_gettext("Venter på at gå i gang"), "read": lazy_gettext("Læser filen"),
         "rows": lazy_gettext("Læser rækker"), "check": lazy_gettext("Kontrollerer poster"),
         "write": lazy_gettext("Skriver i databasen"), "index": lazy_gettext("Opdaterer søgeindekset"),
         "history": lazy_gettext("Skriver historik"), "done": lazy_gettext("Færdig")}
SHOWN = 300  # additions, changes and errors listed on the page (the counts are always whole)
REFRESH_SECONDS = 2


@bp.url_value_preprocessor
def _limit_uploads(endpoint, values) -> None:
    """Runs before CSRFProtect reads the form: a body larger than an allowed file is refused (413) instead of
    being read in full."""
    request.max_content_length = sheets.MAX_BYTES + 256 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    if not has_role(EDITORS):  # raised before the role check ran: show nothing of the page
        return render_template("errors/error.html", error=error), 413
    return _index(UploadForm(formdata=None), 413,
                  gettext("Filen er for stor (højst %(mb)s MB).", mb=sheets.MAX_BYTES // (1024 * 1024)))


def _index(form: UploadForm, status: int = 200, upload_error: Optional[str] = None):
    return render_template("transfer/index.html", form=form, kinds=KIND_CHOICES, upload_error=upload_error,
                           columns={k: [c.name for c in cols] for k, cols in COLUMNS.items()},
                           may_commit=has_role(REVIEWERS)), status


@bp.get("/")
@role_required(EDITORS)
def index():
    return _index(UploadForm())


@bp.get("/eksport")
@role_required(EDITORS)
def export():
    kind, fmt = request.args.get("kind", "task"), request.args.get("format", "csv")
    if kind not in TRANSFER_KINDS or fmt not in sheets.FORMATS:
        abort(404, description=gettext("Den eksport findes ikke."))
    data = export_file(db.session, kind, fmt)
    name = f"{FILE_NAMES[kind]}-{dt.date.today().isoformat()}.{fmt}"
    return Response(data, mimetype=MIME[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _file_name(raw: Optional[str]) -> str:
    """The name shown on the page and in history; never used as a path (the file is stored as upload.<type>)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", name).strip()[:120] or "fil"


@bp.post("/import")
@role_required(EDITORS)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    filename = _file_name(form.file.data.filename)
    fmt = sheets.format_of(filename)
    data = form.file.data.read(sheets.MAX_BYTES + 1)
    try:
        sheets.sniff(fmt, data)
    except sheets.FileProblem as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return _index(form, 400)
    app = current_app._get_current_object()
    job = jobs.create(app, user_id=current_user.id, kind=form.kind.data, filename=filename, fmt=fmt, data=data)
    jobs.start(app, job, "dry_run")
    return redirect(url_for(".job", id=job.id), 303)


def _job_or_redirect():
    job = jobs.load(current_app._get_current_object(), request.args.get("id"), current_user.id)
    if job is None:
        flash(gettext("Importkørslen findes ikke (den kan være udløbet). Upload filen igen."), "error")
        return None, redirect(url_for(".index"))
    return job, None


def _committable(job: jobs.Job) -> bool:
    s = job.state
    return s.get("phase") == "dry_run" and s.get("status") == "done" and bool(s.get("ok") and s.get("has_work"))


def _job_page(job: jobs.Job, form: CommitForm, status: int = 200):
    state = job.state
    running = state.get("status") in ("queued", "running")
    response = make_response(render_template(
        "transfer/job.html", job=job, state=state, plan={} if running else job.plan(), steps=STEPS, shown=SHOWN,
        form=form, committable=_committable(job), may_commit=has_role(REVIEWERS),
        kind_label=dict(KIND_CHOICES).get(state.get("kind"), state.get("kind")), refresh=REFRESH_SECONDS), status)
    if running:
        response.headers["Refresh"] = str(REFRESH_SECONDS)  # the page asks again until the job is done
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/koersel")
@role_required(EDITORS)
def job():
    found, away = _job_or_redirect()
    return away or _job_page(found, CommitForm(formdata=None))


@bp.post("/koersel/indlaes")
@role_required(REVIEWERS)
def commit():
    found, away = _job_or_redirect()
    if away:
        return away
    if not _committable(found):
        flash(gettext("Denne kørsel kan ikke indlæses. Lav en ny tørkørsel."), "error")
        return redirect(url_for(".job", id=found.id))
    form = CommitForm()
    if not form.validate_on_submit():
        return _job_page(found, form, 400)
    if not found.claim_commit():
        flash(gettext("Importen er allerede sat i gang."), "error")
        return redirect(url_for(".job", id=found.id))
    jobs.start(current_app._get_current_object(), found, "commit", reason=form.reason.data.strip(),
               user_id=current_user.id)
    return redirect(url_for(".job", id=found.id), 303)
