"""History (historik) of one record — every published version with who, when, why and what changed — and revert:
an earlier version becomes a new draft, reviewed like any other."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import EDITORS, role_required
from kb.editing import bp, service
from kb.editing.actions import RevertForm
from kb.editing.display import field_diffs
from kb.knowledge.documents import DocumentError, find, revision_document, to_document
from kb.knowledge.history import published_history
from kb.editing.registry import KIND_BY_SEGMENT, LABELS, SEGMENTS, public_url, title_of
from kb.editing.pages import user_names
from kb.extensions import db


@bp.get("/<kind>/<slug>/historik")
@role_required(EDITORS)
def history(kind: str, slug: str):
    # History needs no form, so every kind has one, also those whose form is not written yet.
    kind = KIND_BY_SEGMENT.get(kind) or abort(404)
    record = find(db.session, kind, slug)
    versions = published_history(db.session, kind, slug)
    if record is None and not versions:
        abort(404, description=gettext("Posten findes ikke."))
    current = to_document(kind, record) if record is not None else None
    # The version in force is the newest one equal to the record: after a revert, an older version holds the same
    # document, and it is not the current one.
    documents = [revision_document(v) for v in versions]
    in_force = next((i for i in range(len(versions) - 1, -1, -1) if documents[i] == current), None)
    entries = []
    for i, version in enumerate(versions):
        previous = documents[i - 1] if i else None
        entries.append({"version": version, "number": i + 1, "diffs": field_diffs(kind, previous, documents[i]),
                        "is_current": i == in_force})
    entries.reverse()  # newest first
    names = user_names([v.author_id for v in versions] + [v.reviewer_id for v in versions])
    drafts = service.open_drafts(db.session, kind, slug)
    return render_template(
        "editing/history.html", kind=kind, segment=SEGMENTS[kind], slug=slug, label=LABELS[kind],
        title=title_of(current or (documents[-1] if documents else None), slug), entries=entries,
        names=names | user_names([d.author_id for d in drafts]), drafts=drafts,
        public=public_url(kind, slug, current) if current else None)


def _version_or_404(version_id: int) -> m.Revision:
    version = db.session.get(m.Revision, version_id)
    if version is None or version.status != "published":
        abort(404, description=gettext("Versionen findes ikke."))
    return version


@bp.route("/version/<int:version_id>/gendan", methods=["GET", "POST"])
@role_required(EDITORS)
def revert(version_id: int):
    version = _version_or_404(version_id)
    kind, slug = version.entity_type, version.entity_slug
    record = find(db.session, kind, slug)
    current = to_document(kind, record) if record is not None else None
    form = RevertForm()
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                draft = service.revert(db.session, version, current_user.id, form.reason.data)
            except service.HasOpenDraft as exc:
                db.session.rollback()
                flash(gettext("Du har allerede et åbent udkast til denne post. Gør det færdigt eller kassér det "
                              "først."), "error")
                return redirect(url_for("editing.draft", draft_id=exc.draft.id))
            except service.NoChange:
                db.session.rollback()
                problem = gettext("Den version er den, der gælder nu — der er intet at gendanne.")
            except DocumentError as exc:
                db.session.rollback()
                problem = gettext("Versionen kan ikke gendannes, som databasen ser ud nu: %(errors)s",
                                  errors="; ".join(f"{k}: {', '.join(v)}" if k else ", ".join(v)
                                                   for k, v in exc.by_field().items()))
            except (service.Conflict, service.DraftChanged):
                db.session.rollback()
                status, problem = 409, gettext("Posten blev ændret imens. Prøv igen.")
            else:
                db.session.commit()
                flash(gettext("Versionen er lagt i et nyt udkast. Indsend det til godkendelse."), "success")
                return redirect(url_for("editing.draft", draft_id=draft.id))
    return render_template(
        "editing/revert.html", form=form, version=version, kind=kind, segment=SEGMENTS[kind], slug=slug,
        label=LABELS[kind], title=title_of(current or revision_document(version), slug), problem=problem,
        diffs=field_diffs(kind, current, revision_document(version)), names=user_names([version.author_id])), status
