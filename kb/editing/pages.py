"""What the editing pages share: the draft page (also shown after a review action fails), the draft/record look-ups
that 404, and small form helpers — kept apart from the routes so review and history routes need not import routes."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from flask import abort, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import REVIEWERS, has_role
from kb.editing import service
from kb.editing.actions import PublishForm, SendBackForm
from kb.editing.display import field_diffs
from kb.editing.preview import preview
from kb.editing.registry import LABELS, SEGMENTS, public_url, title_of
from kb.extensions import db
from kb.knowledge.documents import find, revision_document, to_document


def to_int(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def user_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    rows = db.session.execute(sa.select(m.User.id, m.User.name, m.User.username).where(m.User.id.in_(ids))) if ids else []
    return {i: name or username for i, name, username in rows}


def draft_or_404(draft_id: int) -> m.Revision:
    draft = db.session.get(m.Revision, draft_id)
    if draft is None or draft.status not in service.OPEN:
        abort(404, description=gettext("Udkastet findes ikke (det kan være udgivet eller kasseret)."))
    return draft


def segment(kind: str) -> str:
    return SEGMENTS.get(kind, kind)


def render_draft(draft: m.Revision, status: int = 200, **messages):
    """The draft page; `messages` may carry a problem to show and the review forms as posted."""
    kind, slug = draft.entity_type, draft.entity_slug
    record = find(db.session, kind, slug)
    published = to_document(kind, record) if record is not None else None
    current = record.version_id if record is not None else None
    document = revision_document(draft)
    changes = field_diffs(kind, published, document)
    result = preview(db.session, kind, document)
    draft = db.session.get(m.Revision, draft.id)  # the preview expired every object
    names = user_names([draft.author_id, draft.reviewer_id])
    mine = draft.author_id == current_user.id
    return render_template(
        "editing/draft.html", draft=draft, kind=kind, segment=segment(kind), label=LABELS[kind],
        title=title_of(document, slug), changes=changes, preview=result, names=names, is_new=record is None,
        conflict=draft.base_version != current, can_edit=mine, can_submit=mine and draft.status in ("draft", "rejected"),
        can_review=has_role(REVIEWERS) and not mine and draft.status == "submitted",
        own_review=has_role(REVIEWERS) and mine and draft.status == "submitted",
        public=public_url(kind, slug, published) if record is not None else None,
        history=url_for("editing.history", kind=segment(kind), slug=slug) if record is not None else None,
        **{"publish_form": PublishForm(formdata=None), "send_back_form": SendBackForm(formdata=None), **messages}), status
