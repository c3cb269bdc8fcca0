"""Continuing and further education offers (efter- og videreuddannelse) that give competences."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin

if TYPE_CHECKING:
    from kb.models.competence import Competence
    from kb.models.profession import Profession
    from kb.models.source import SourceCitation

education_competence = sa.Table(
    "education_competence", Base.metadata,
    sa.Column("education_id", sa.ForeignKey("education.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("competence_id", sa.ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True),
)
education_target = sa.Table(
    "education_target", Base.metadata,
    sa.Column("education_id", sa.ForeignKey("education.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("profession_id", sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Education(SlugMixin, VersionedMixin, Base):
    """Fields follow seed 001's codebook (L1927-2203): provider, level, ECTS, length, price, entry requirements."""

    __tablename__ = "education"
    __table_args__ = (sa.CheckConstraint("ects IS NULL OR ects >= 0", name="ects"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    provider: Mapped[str] = mapped_column(sa.String(300), default="")
    level: Mapped[str] = mapped_column(sa.String(100), default="")
    ects: Mapped[Optional[float]]
    length: Mapped[str] = mapped_column(sa.String(100), default="")
    price: Mapped[str] = mapped_column(sa.String(100), default="")
    entry_requirements: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    competences: Mapped[list[Competence]] = relationship(secondary=education_competence, order_by="Competence.slug")
    target_professions: Mapped[list[Profession]] = relationship(
        secondary=education_target, order_by="Profession.slug")
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.education_id", cascade="all, delete-orphan", order_by="SourceCitation.id")
