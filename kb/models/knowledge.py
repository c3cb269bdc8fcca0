"""The knowledge version (vidensversion): one row whose random token changes whenever published knowledge changes.

Each app process keeps derived knowledge (the profession/competence/offer catalogue, task shapes for "shiftable")
in memory and reuses it while the token is unchanged; see :mod:`kb.knowledge_state`. A random token rather than a
counter, so a value written by a transaction that was rolled back can never come back and match a cache entry.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base

SINGLETON_ID = 1


class KnowledgeState(Base):
    __tablename__ = "knowledge_state"
    id: Mapped[int] = mapped_column(primary_key=True)  # always SINGLETON_ID
    token: Mapped[str] = mapped_column(sa.String(32))
    changed_at: Mapped[datetime]
