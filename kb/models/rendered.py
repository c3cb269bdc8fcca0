"""Rendered documents (PDFs) kept in the database, so every app server reuses one render.

A role description takes seconds of WeasyPrint (security review M1), and its bytes depend only on the published
knowledge, the context and the language: one row per key (document, context, language, drafts shown; see
kb/pdf/store.py), valid while ``token`` is the knowledge token it was rendered under. Not knowledge itself: writing a
row never moves the token (kb.knowledge_state.NOT_KNOWLEDGE). Rows of an older token are deleted when a new one is
written, and the table keeps at most KB_PDF_STORE_KEEP rows, so it stays bounded.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, utcnow

KEY_LENGTH = 64  # a sha256 in hex


class RenderedDocument(Base):
    __tablename__ = "rendered_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH), unique=True)
    token: Mapped[str] = mapped_column(sa.String(32), index=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
