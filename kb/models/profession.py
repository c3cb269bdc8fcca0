"""Professions (faggrupper), the settings they work in, and what their basic education gives."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import SHORTAGE_LEVELS

if TYPE_CHECKING:
    from kb.models.competence import Competence
    from kb.models.source import SourceCitation


class Setting(SlugMixin, Base):
    """Where work happens (sygehus, psykiatri, hjemmesygepleje, …)."""

    __tablename__ = "setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")


profession_setting = sa.Table(
    "profession_setting", Base.metadata,
    sa.Column("profession_id", sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("setting_id", sa.ForeignKey("setting.id", ondelete="CASCADE"), primary_key=True),
)


class ProfessionCompetence(Base):
    """A competence that a profession's basic education gives (kompetenceprofil)."""

    __tablename__ = "profession_competence"
    profession_id: Mapped[int] = mapped_column(sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True)
    competence_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competence.id", ondelete="CASCADE"), primary_key=True, index=True)


class Profession(SlugMixin, VersionedMixin, Base):
    """A professional group (faggruppe), authorised or not."""

    __tablename__ = "profession"
    __table_args__ = (
        one_of("shortage_level", SHORTAGE_LEVELS, "shortage_level"),
        sa.CheckConstraint("education_level BETWEEN 0 AND 6", name="education_level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    abbreviation: Mapped[str] = mapped_column(sa.String(40), default="")
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("profession.id", ondelete="SET NULL"))
    authorised: Mapped[bool] = mapped_column(default=False)
    title_protected: Mapped[bool] = mapped_column(default=False)
    has_reserved_area: Mapped[bool] = mapped_column(default=False)
    legal_basis: Mapped[str] = mapped_column(sa.Text, default="")
    isco08: Mapped[str] = mapped_column(sa.String(10), default="")
    register_code: Mapped[str] = mapped_column(sa.String(10), default="")
    education_name: Mapped[str] = mapped_column(sa.String(300), default="")
    education_length: Mapped[str] = mapped_column(sa.String(100), default="")
    education_level: Mapped[int] = mapped_column(default=0)
    shortage_level: Mapped[str] = mapped_column(sa.String(20), default="unknown")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    parent: Mapped[Optional[Profession]] = relationship(remote_side="Profession.id", back_populates="specialisations")
    specialisations: Mapped[list[Profession]] = relationship(back_populates="parent")
    settings: Mapped[list[Setting]] = relationship(secondary=profession_setting, order_by="Setting.slug")
    competences: Mapped[list[Competence]] = relationship(
        secondary="profession_competence", order_by="Competence.slug")
    shortages: Mapped[list[ProfessionShortage]] = relationship(
        back_populates="profession", cascade="all, delete-orphan", order_by="ProfessionShortage.id")
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.profession_id", cascade="all, delete-orphan", order_by="SourceCitation.id")

    def __repr__(self) -> str:
        return f"<Profession {self.slug}>"


class ProfessionShortage(Base):
    """A shortage figure from a source (e.g. STAR 2022 failed recruitments)."""

    __tablename__ = "profession_shortage"
    id: Mapped[int] = mapped_column(primary_key=True)
    profession_id: Mapped[int] = mapped_column(sa.ForeignKey("profession.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(sa.String(300))
    value: Mapped[Optional[float]]
    unit: Mapped[str] = mapped_column(sa.String(60), default="")
    year: Mapped[Optional[int]]
    note: Mapped[str] = mapped_column(sa.Text, default="")

    profession: Mapped[Profession] = relationship(back_populates="shortages")
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.shortage_id", cascade="all, delete-orphan", order_by="SourceCitation.id")
