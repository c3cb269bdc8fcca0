"""The knowledge version (vidensversion): one row whose random token changes whenever published knowledge changes.

Each app process keeps derived knowledge (the profession/competence/offer catalogue, task shapes for "shiftable")
in memory and reuses it while the token is unchanged; see :mod:`kb.knowledge_state`. A random token rather than a
counter, so a value written by a transaction that was rolled back can never come back and match a cache entry.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base

SINGLETON_ID = 1


class KnowledgeState(Base):
    __tablename__ = "knowledge_state"
    id: Mapped[int] = mapped_column(primary_key=True)  # always SINGLETON_ID
    token: Mapped[str] = mapped_column(sa.String(32))
    changed_at: Mapped[datetime]
    # The token this one replaced, when that step is recorded in knowledge_change; NULL when it is not known. Read
    # with the token, so a server with nothing to bring up to date spends no query finding that out.
    previous: Mapped[Optional[str]] = mapped_column(sa.String(32))


class KnowledgeChange(Base):
    """One step of the knowledge token: which token it replaced and what it touched (vidensændring).

    Written when a transaction whose every knowledge write went through the one write path commits
    (kb.knowledge_state). ``kinds`` lists the document kinds published; ``tasks`` the slugs of the tasks whose
    engine facts may differ. A server holding a value built under an older token follows the chain back to it and,
    when every step is known, brings the value up to date for just those tasks instead of rebuilding it (issue 20,
    part 3). A step that is missing (a restore, a seed, a write outside the write path) breaks the chain: then
    everything is rebuilt, as before.
    """

    __tablename__ = "knowledge_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    previous: Mapped[str] = mapped_column(sa.String(32))
    kinds: Mapped[str] = mapped_column(sa.Text)  # space-separated document kinds
    tasks: Mapped[str] = mapped_column(sa.Text)  # newline-separated task slugs
    changed_at: Mapped[datetime]
