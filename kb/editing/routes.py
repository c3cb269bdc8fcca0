"""Editors' pages: the overview, new and edit forms for every kind in the registry, and the draft page with its
diff against the published version and the preview of changed verdicts."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import EDITORS, role_required
from kb.editing import bp, service
from kb.editing.display import field_diffs
from kb.knowledge.documents import DocumentError, find, revision_document, to_document
from kb.knowledge.history import BASELINE_REASON
from kb.editing.registry import (LABELS, NEW_LABELS, SEGMENTS, available_kinds, form_class, kind_of_segment,
                                 title_of)
from kb.editing.pages import draft_or_404, render_draft, segment, to_int, user_names
from kb.extensions import db

RECENT = 20


# -- overview ------------------------------------------------------------------------------------------------

@bp.get("/")
@role_required(EDITORS)
def overview():
    drafts = service.open_drafts(db.session)
    mine = [d for d in drafts if d.author_id == current_user.id]
    awaiting = [d for d in drafts if d.status == "submitted" and d.author_id != current_user.id]
    published = list(db.session.scalars(
        sa.select(m.Revision).where(m.Revision.status == "published", m.Revision.reason != BASELINE_REASON)
        .order_by(m.Revision.id.desc()).limit(RECENT)))
    names = user_names([r.author_id for r in drafts + published] + [r.reviewer_id for r in published])
    return render_template("editing/overview.html", mine=mine, awaiting=awaiting, published=published,
                           names=names, kinds=available_kinds(), labels=LABELS, new_labels=NEW_LABELS,
                           segments=SEGMENTS, title_of=title_of)


# -- new and edit --------------------------------------------------------------------------------------------

def _kind_or_404(kind_segment: str) -> str:
    kind = kind_of_segment(kind_segment)
    if kind is None:
        abort(404, description=gettext("Den slags post kan ikke redigeres her."))
    return kind


@bp.route("/<kind>/ny", methods=["GET", "POST"])
@role_required(EDITORS)
def new(kind: str):
    return _edit(_kind_or_404(kind), None)


@bp.route("/<kind>/<slug>/rediger", methods=["GET", "POST"])
@role_required(EDITORS)
def edit(kind: str, slug: str):
    return _edit(_kind_or_404(kind), slug)


def _edit(kind: str, slug: Optional[str]):
    record = find(db.session, kind, slug) if slug else None
    draft = service.own_open_draft(db.session, kind, slug, current_user.id) if slug else None
    if slug and record is None and draft is None:
        abort(404, description=gettext("Posten findes ikke."))
    original = revision_document(draft) if draft is not None else (to_document(kind, record) if record is not None else None)
    form = form_class(kind)()
    form.is_new = record is None
    form.set_choices(db.session)
    pending = service.pending_slugs(db.session, exclude=draft.id if draft else None)
    if hasattr(form, "add_pending_tasks"):
        form.add_pending_tasks(pending.get("task", set()))
    if original is not None:
        form.fill(original)
    elif request.method == "GET" and hasattr(form, "prefill"):
        form.prefill(request.args)
    page: dict[str, Any] = {"conflict": None, "draft_changed": None}
    status = 200
    if request.method == "GET":
        base = draft.base_version if draft is not None else (record.version_id if record is not None else None)
        form.base_version.data = "" if base is None else str(base)
        if draft is not None:
            form.reason.data = draft.reason  # continuing one's own draft: its reason stays unless changed
    else:
        status = _save(kind, form, draft, page)
        if status is None:
            return redirect(url_for("editing.draft", draft_id=page["saved"].id))
    current = record.version_id if record is not None else None
    return render_template(
        "editing/edit.html", kind=kind, segment=segment(kind), form=form, record=record, draft=draft,
        heading=(gettext("Rediger: %(title)s", title=title_of(original, slug or "")) if original
                 else str(NEW_LABELS[kind])), label=LABELS[kind], current_version=current,
        stale=draft is not None and draft.base_version != current, **page), status


def _save(kind: str, form, draft: Optional[m.Revision], page: dict[str, Any]) -> Optional[int]:
    """Validate and save the posted form as the user's draft. None when saved (page["saved"] is the draft),
    else the status to re-render the form with (everything typed stays in it)."""
    if not form.validate():
        return 400
    document = form.document()
    new_slug = document.get("slug", "")
    slug_errors = form.slug.errors if hasattr(form, "slug") else form.form_errors
    if form.is_new and draft is None and service.own_open_draft(db.session, kind, new_slug, current_user.id):
        slug_errors.append(gettext("Du har allerede et udkast med denne slug — åbn det fra Redaktion."))
        return 400
    if form.is_new and service.slug_taken_by_draft(db.session, kind, new_slug, current_user.id):
        slug_errors.append(gettext("Slug'en er allerede i brug i en anden redaktørs udkast — vælg en anden."))
        return 400
    relock = to_int(request.form.get("relock"))
    lock = relock if relock is not None else to_int(request.form.get("draft_lock"))
    try:
        saved = service.save_draft(
            db.session, kind=kind, document=document, reason=form.reason.data, author_id=current_user.id,
            base_version=to_int(form.base_version.data), draft=draft, lock=lock,
            rebase_to=to_int(request.form.get("rebase")))
    except DocumentError as exc:
        db.session.rollback()
        form.attach_errors(exc.by_field())
        return 400
    except service.Conflict as exc:
        db.session.rollback()
        record = find(db.session, kind, exc.slug)
        page["conflict"] = exc
        page["conflict_diffs"] = field_diffs(kind, to_document(kind, record) if record else None, document)
        return 409
    except service.DraftChanged:
        db.session.rollback()
        page["draft_changed"] = True
        page["changed_draft"] = db.session.get(m.Revision, draft.id) if draft is not None else None
        return 409
    except service.NoChange:
        db.session.rollback()
        form.form_errors.append(gettext("Der er ingen ændringer i forhold til den udgivne version."))
        return 400
    db.session.commit()
    flash(gettext("Udkastet er gemt. Indsend det til godkendelse, når det er færdigt."), "success")
    page["saved"] = saved
    return None


# -- the draft page ------------------------------------------------------------------------------------------

@bp.get("/udkast/<int:draft_id>")
@role_required(EDITORS)
def draft(draft_id: int):
    return render_draft(draft_or_404(draft_id))


def _author_action(draft_id: int, action, done: str):
    draft = draft_or_404(draft_id)
    lock = to_int(request.form.get("lock"))
    if lock is None:
        return render_draft(draft, 400, problem=gettext("Formularen manglede udkastets version — prøv igen."))
    try:
        action(db.session, draft, current_user.id, lock)
    except service.NotAllowed:
        abort(403, description=gettext("Kun forfatteren kan gøre det med sit udkast."))
    except (service.DraftChanged, service.WrongState):
        db.session.rollback()
        return render_draft(draft_or_404(draft_id), 409, problem=gettext(
            "Udkastet er ændret, siden du åbnede siden. Se den nye udgave herunder, og prøv igen."))
    db.session.commit()
    flash(done, "success")
    return None


@bp.post("/udkast/<int:draft_id>/indsend")
@role_required(EDITORS)
def submit(draft_id: int):
    answer = _author_action(draft_id, service.submit, gettext("Udkastet er sendt til godkendelse."))
    return answer or redirect(url_for("editing.draft", draft_id=draft_id))


@bp.post("/udkast/<int:draft_id>/kasser")
@role_required(EDITORS)
def discard(draft_id: int):
    answer = _author_action(draft_id, service.discard, gettext("Udkastet er kasseret."))
    return answer or redirect(url_for("editing.overview"))
