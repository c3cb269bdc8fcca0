"""Competences (kompetencer) that tasks require and professions and educations give, and how a group that lacks one
gains it (oplæring, kursus or uddannelse; issue 19)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import COMPETENCE_KINDS, COMPETENCE_TRAINING

if TYPE_CHECKING:
    from kb.models.source import SourceCitation

# The competences a group's basic education must already give for oplæring or a course to close this one.
competence_basis = sa.Table(
    "competence_basis", Base.metadata,
    sa.Column("competence_id", sa.ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("basis_id", sa.ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Competence(SlugMixin, VersionedMixin, Base):
    __tablename__ = "competence"
    __table_args__ = (
        one_of("kind", COMPETENCE_KINDS, "kind"),
        sa.CheckConstraint("training_effort IS NULL OR training_effort IN (%s)"
                           % ", ".join(f"'{e}'" for e in COMPETENCE_TRAINING), name="training_effort"),
        sa.CheckConstraint("training_hours IS NULL OR training_hours >= 0", name="training_hours"),
        sa.CheckConstraint("training_min_level >= 0 AND training_min_level <= 6", name="training_min_level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="skill")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # How a group whose basic education fits gains it; None: not curated (the engine then assumes an education).
    training_effort: Mapped[Optional[str]] = mapped_column(sa.String(20))
    training_hours: Mapped[Optional[int]]
    training_min_level: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    training_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    training_basis: Mapped[list[Competence]] = relationship(
        secondary=competence_basis, primaryjoin=lambda: Competence.id == competence_basis.c.competence_id,
        secondaryjoin=lambda: Competence.id == competence_basis.c.basis_id, order_by=lambda: Competence.slug)
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.competence_id", cascade="all, delete-orphan", order_by="SourceCitation.id")

    def __repr__(self) -> str:
        return f"<Competence {self.slug}>"
