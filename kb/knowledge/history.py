"""History (historik): every published version of a record as a Revision holding its document.

A record's history is its published revisions, oldest first. Records loaded from seed/ have no revision until
first changed; then a baseline revision with the state before the change is written first, so every version —
the seed's too — can be compared and reverted to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from kb.models.base import utcnow
from kb.knowledge import documents

BASELINE_REASON = "Udgangspunkt før første ændring (indlæst fra seed/)"


def published_history(session: Session, kind: str, slug: str) -> list[m.Revision]:
    """The record's published versions, oldest first: by the time each was published, not by row id — a draft's
    row is older than the baseline written when the draft is published (the first web edit of a seeded record)."""
    return list(session.scalars(
        sa.select(m.Revision).where(m.Revision.entity_type == kind, m.Revision.entity_slug == slug,
                                    m.Revision.status == "published")
        .order_by(m.Revision.reviewed_at, m.Revision.id)))


def record_published(session: Session, kind: str, slug: str, entity_id: Optional[int],
                     before: Optional[dict[str, Any]], after: dict[str, Any], *, reason: str,
                     author_id: Optional[int], reviewer_id: Optional[int], comment: str = "",
                     revision: Optional[m.Revision] = None) -> m.Revision:
    """Write the published version `after` into history (re-using `revision` when a draft is being published).

    A change also moves the record's version_id on, even when only its lists changed (holders, requirements —
    rows in other tables that leave the record's own row untouched): drafts based on the old version then
    conflict instead of overwriting this change."""
    now = datetime.now(timezone.utc)
    if before is not None and before != after and entity_id is not None:
        record = session.get(documents.KINDS[kind].model, entity_id)
        if record is not None:
            record.updated_at = utcnow()  # an UPDATE of the row, so the mapper bumps version_id
            session.flush()
    if before is not None and not published_history(session, kind, slug):
        # The baseline is the state before this publication, so it is dated just before it (history is ordered
        # by publication time; a draft being published may have the lower row id).
        earlier = now - timedelta(microseconds=1)
        session.add(m.Revision(entity_type=kind, entity_id=entity_id, entity_slug=slug, data=before,
                               status="published", reason=BASELINE_REASON, created_at=earlier, reviewed_at=earlier))
        session.flush()
    if revision is None:
        revision = m.Revision(entity_type=kind, entity_slug=slug, author_id=author_id, reason=reason)
        session.add(revision)
    revision.entity_id, revision.data, revision.status = entity_id, after, "published"
    revision.data_format = documents.FORMAT  # `after` is read from the record now, so it is in today's shape
    revision.reviewer_id, revision.reviewed_at, revision.review_comment = reviewer_id, now, comment
    session.flush()
    return revision


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions (values as they are in the document)."""

    field: str
    before: Any
    after: Any


def diff(before: Optional[dict[str, Any]], after: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field differences, in the document's field order; a new record shows every filled field."""
    before = before or {}
    fields = list(after) + [k for k in before if k not in after]
    return [FieldChange(f, before.get(f), after.get(f)) for f in fields if before.get(f) != after.get(f)]
