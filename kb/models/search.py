"""Search vocabulary kept as data: synonyms and abbreviations (SSA ↔ social- og sundhedsassistent, PVK, …)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, one_of
from kb.models.enums import TERM_KINDS


class Synonym(Base):
    __tablename__ = "synonym"
    __table_args__ = (one_of("kind", TERM_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(200), unique=True, index=True)
    equivalents: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    kind: Mapped[str] = mapped_column(sa.String(20), default="synonym")
