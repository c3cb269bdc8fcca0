"""Change history: revisions (drafts awaiting review, and every published version) and audit events."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, one_of, utcnow
from kb.models.enums import REVISION_STATUSES


class Revision(Base):
    """A snapshot of one record as an editor proposed it; published revisions form the record's history."""

    __tablename__ = "revision"
    __table_args__ = (
        one_of("status", REVISION_STATUSES, "status"),
        sa.Index("ix_revision_entity", "entity_type", "entity_id"),
        sa.Index("ix_revision_entity_slug", "entity_type", "entity_slug", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[Optional[int]]
    entity_slug: Mapped[str] = mapped_column(sa.String(120), default="")
    base_version: Mapped[Optional[int]]
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The document shape ``data`` was written in (kb.knowledge.documents.FORMAT); older ones are upgraded on use.
    data_format: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    author_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewer_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[Optional[datetime]]
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    # Optimistic locking of the draft itself: two saves of one draft (two tabs), or a publish of a draft the
    # author changed after the reviewer opened it, are refused instead of one silently winning.
    lock_version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": lock_version}


class AuditEvent(Base):
    """Who did what and when: seed loads, logins, role changes, publications."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    entity_type: Mapped[str] = mapped_column(sa.String(40), default="")
    entity_id: Mapped[Optional[int]]
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
