"""Review (godkendelse): a reviewer who is not the author publishes a submitted draft, or sends it back to the
author with a comment saying what to change."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from kb.auth.roles import REVIEWERS, role_required
from kb.editing.actions import PublishForm, SendBackForm
from kb.editing import bp, service
from kb.knowledge.documents import DocumentError, find, to_document
from kb.editing.registry import public_url
from kb.editing.pages import draft_or_404, render_draft, segment, to_int
from kb.extensions import db

OWN_DRAFT = lazy_gettext("Du kan ikke godkende dit eget udkast — en anden redaktør med rollen godkender skal "
                         "gøre det.")


def _review(draft_id: int, form, comment: str, act):
    """Common to publish and send back: the form, the lock, and the workflow's refusals as pages."""
    draft = draft_or_404(draft_id)
    lock = to_int(request.form.get("lock"))
    forms = {"publish_form": form} if isinstance(form, PublishForm) else {"send_back_form": form}
    if not form.validate() or lock is None:
        return render_draft(draft, 400, **forms, problem=None if lock is not None
                            else gettext("Formularen manglede udkastets version — prøv igen."))
    try:
        act(draft, lock, form[comment].data or "")
    except service.NotAllowed:
        db.session.rollback()
        abort(403, description=str(OWN_DRAFT))
    except service.Conflict:
        db.session.rollback()
        return render_draft(draft_or_404(draft_id), 409, problem=gettext(
            "Posten er udgivet i en nyere version, siden udkastet blev påbegyndt. Udkastet kan ikke udgives, før "
            "forfatteren har set den anden ændring og gemt udkastet igen; send det eventuelt tilbage."))
    except service.DraftChanged:
        db.session.rollback()
        return render_draft(draft_or_404(draft_id), 409, problem=gettext(
            "Udkastet er ændret, siden du åbnede det. Læs den nye udgave herunder, før du godkender."))
    except service.WrongState:
        db.session.rollback()
        return render_draft(draft_or_404(draft_id), 409, problem=gettext(
            "Udkastet er ikke sendt til godkendelse (længere)."))
    except DocumentError as exc:
        db.session.rollback()
        return render_draft(draft_or_404(draft_id), 400, document_errors=exc.by_field(), problem=gettext(
            "Udkastet kan ikke udgives, som databasen ser ud nu — se fejlene herunder."))
    db.session.commit()
    return None


@bp.post("/udkast/<int:draft_id>/udgiv")
@role_required(REVIEWERS)
def publish(draft_id: int):
    published = {}

    def act(draft, lock, comment):
        published["kind"], published["slug"] = draft.entity_type, draft.entity_slug
        service.publish(db.session, draft, current_user.id, lock, comment)

    answer = _review(draft_id, PublishForm(), "publish_comment", act)
    if answer is not None:
        return answer
    kind, slug = published["kind"], published["slug"]
    flash(gettext("Udgivet. Ændringen står nu i historikken."), "success")
    record = find(db.session, kind, slug)
    return redirect(public_url(kind, slug, to_document(kind, record)) or
                    url_for("editing.history", kind=segment(kind), slug=slug))


@bp.post("/udkast/<int:draft_id>/send-tilbage")
@role_required(REVIEWERS)
def send_back(draft_id: int):
    answer = _review(draft_id, SendBackForm(), "comment",
                     lambda draft, lock, comment: service.reject(db.session, draft, current_user.id, lock, comment))
    if answer is not None:
        return answer
    flash(gettext("Udkastet er sendt tilbage til forfatteren med din kommentar."), "success")
    return redirect(url_for("editing.overview"))
