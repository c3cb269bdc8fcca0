"""Competences (kompetencer) that tasks require and professions and educations give."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import COMPETENCE_KINDS


class Competence(SlugMixin, VersionedMixin, Base):
    __tablename__ = "competence"
    __table_args__ = (one_of("kind", COMPETENCE_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="skill")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    def __repr__(self) -> str:
        return f"<Competence {self.slug}>"
