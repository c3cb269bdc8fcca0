"""Legal acts and their provisions (bestemmelser), and organisational rule sources kept apart from law."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import COMPLEXITIES, PROVISION_EFFECTS, RULE_KINDS

if TYPE_CHECKING:
    from kb.models.organisation import Organisation
    from kb.models.profession import Profession


class LegalAct(SlugMixin, VersionedMixin, Base):
    """An act, executive order, guidance — or, with kind 'organisational', an agreement or local instruction."""

    __tablename__ = "legal_act"
    __table_args__ = (
        one_of("kind", RULE_KINDS, "kind"),
        sa.CheckConstraint("valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="validity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.Text, default="")
    reference: Mapped[str] = mapped_column(sa.String(200), default="")  # its number: LBK nr. … af …
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="legal")
    organisation_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organisation.id", ondelete="RESTRICT"))
    valid_from: Mapped[Optional[date]]
    valid_to: Mapped[Optional[date]]
    verified: Mapped[bool] = mapped_column(default=False)
    verified_source: Mapped[str] = mapped_column(sa.String(1000), default="")
    verified_on: Mapped[Optional[date]]
    verification_note: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Optional[Organisation]] = relationship()

    provisions: Mapped[list[Provision]] = relationship(
        back_populates="act", cascade="all, delete-orphan", order_by="Provision.id")


provision_reserved_to = sa.Table(
    "provision_reserved_to", Base.metadata,
    sa.Column("provision_id", sa.ForeignKey("provision.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("profession_id", sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Provision(SlugMixin, VersionedMixin, Base):
    """One provision (§, stk., nr.) with what it does to who may perform a task."""

    __tablename__ = "provision"
    __table_args__ = (
        one_of("effect", PROVISION_EFFECTS, "effect"),
        one_of("kind", RULE_KINDS, "kind"),
        one_of("complexity", COMPLEXITIES, "complexity", nullable=True),
        sa.CheckConstraint("valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="validity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("legal_act.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    valid_from: Mapped[Optional[date]]
    valid_to: Mapped[Optional[date]]
    effect: Mapped[str] = mapped_column(sa.String(40), default="other")
    scope: Mapped[str] = mapped_column(sa.Text, default="")  # the part of a task the right covers
    complexity: Mapped[Optional[str]] = mapped_column(sa.String(20))  # holds only at this patient complexity
    kind: Mapped[str] = mapped_column(sa.String(20), default="legal")
    organisation_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organisation.id", ondelete="RESTRICT"))
    verified: Mapped[bool] = mapped_column(default=False)
    verified_source: Mapped[str] = mapped_column(sa.String(1000), default="")
    verified_on: Mapped[Optional[date]]
    verification_note: Mapped[str] = mapped_column(sa.Text, default="")

    act: Mapped[LegalAct] = relationship(back_populates="provisions")
    organisation: Mapped[Optional[Organisation]] = relationship()
    reserved_to: Mapped[list[Profession]] = relationship(
        secondary=provision_reserved_to, order_by="Profession.slug")

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def __repr__(self) -> str:
        return f"<Provision {self.slug}>"
