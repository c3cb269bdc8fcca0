"""Explicit rules editors write about (task, profession[, setting]), and the evidence behind proposals."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import COMPLEXITIES, EVIDENCE_KINDS, RULE_EFFECTS, RULE_KINDS

if TYPE_CHECKING:
    from kb.models.law import Provision
    from kb.models.organisation import Organisation
    from kb.models.profession import Profession, Setting
    from kb.models.source import SourceCitation
    from kb.models.task import Task


rule_exception = sa.Table(
    "rule_exception", Base.metadata,
    sa.Column("rule_id", sa.ForeignKey("rule.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("profession_id", sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Rule(SlugMixin, VersionedMixin, Base):
    """allow | deny | conditions for one profession on one task; legal rules must cite a provision.

    Without a profession the rule names its groups in words: every profession but ``exceptions`` (and their
    specialisations), e.g. an agreement that epikriser are written by physicians binds all non-physicians."""

    __tablename__ = "rule"
    __table_args__ = (
        one_of("effect", RULE_EFFECTS, "effect"),
        one_of("kind", RULE_KINDS, "kind"),
        one_of("complexity", COMPLEXITIES, "complexity", nullable=True),
        sa.CheckConstraint("kind <> 'legal' OR provision_id IS NOT NULL", name="legal_cites_provision"),
        sa.Index("ix_rule_task_profession", "task_id", "profession_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"))
    profession_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("profession.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organisation.id", ondelete="RESTRICT"))
    setting_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("setting.id", ondelete="CASCADE"))
    complexity: Mapped[Optional[str]] = mapped_column(sa.String(20))
    effect: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(20))
    provision_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("provision.id", ondelete="RESTRICT"))
    conditions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    task: Mapped[Task] = relationship(back_populates="rules")
    profession: Mapped[Optional[Profession]] = relationship()
    exceptions: Mapped[list[Profession]] = relationship(secondary=rule_exception, order_by="Profession.slug")
    organisation: Mapped[Optional[Organisation]] = relationship()
    setting: Mapped[Optional[Setting]] = relationship()
    provision: Mapped[Optional[Provision]] = relationship()
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.rule_id", cascade="all, delete-orphan", order_by="SourceCitation.id")


class Evidence(Base):
    """A proposal or practice from a source: this taker could take the task (from that group)."""

    __tablename__ = "evidence"
    __table_args__ = (one_of("kind", EVIDENCE_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"), index=True)
    taker_id: Mapped[int] = mapped_column(sa.ForeignKey("profession.id", ondelete="CASCADE"), index=True)
    from_profession_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("profession.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20), default="proposal")
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    task: Mapped[Task] = relationship(back_populates="evidence")
    taker: Mapped[Profession] = relationship(foreign_keys=[taker_id])
    from_profession: Mapped[Optional[Profession]] = relationship(foreign_keys=[from_profession_id])
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.evidence_id", cascade="all, delete-orphan", order_by="SourceCitation.id")
