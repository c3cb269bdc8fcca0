"""Source documents and citations (kildehenvisninger): document + line range, a provision, or a URL."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin

if TYPE_CHECKING:
    from kb.models.law import Provision

# A citation belongs to exactly one owner; each owner has its own foreign key so integrity is kept by the database.
CITATION_OWNERS = ("task_id", "profession_id", "evidence_id", "rule_id", "education_id", "shortage_id",
                   "competence_id")


class SourceDocument(SlugMixin, Base):
    """One of the source reports in shared/seeds/."""

    __tablename__ = "source_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    file: Mapped[str] = mapped_column(sa.String(300))
    publisher: Mapped[str] = mapped_column(sa.String(300), default="")
    year: Mapped[Optional[int]]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(1000), default="")  # the publisher's public address of the report
    # Counted from the text when the seed is loaded where the reports are at hand: forms and imports check a
    # citation's line range against it on any server, the reports' text there or not.
    line_count: Mapped[Optional[int]]


def _exactly_one_owner() -> sa.CheckConstraint:
    total = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in CITATION_OWNERS)
    return sa.CheckConstraint(f"{total} = 1", name="one_owner")


class SourceCitation(Base):
    __tablename__ = "source_citation"
    __table_args__ = (
        _exactly_one_owner(),
        sa.CheckConstraint(
            "document_id IS NOT NULL OR provision_id IS NOT NULL OR url <> ''", name="has_target"),
        sa.CheckConstraint(
            "line_from IS NULL OR line_to IS NULL OR (line_from >= 1 AND line_from <= line_to)", name="lines"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("source_document.id", ondelete="RESTRICT"))
    line_from: Mapped[Optional[int]]
    line_to: Mapped[Optional[int]]
    provision_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("provision.id", ondelete="RESTRICT"))
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")

    task_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"), index=True)
    profession_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("profession.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("rule.id", ondelete="CASCADE"), index=True)
    education_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("education.id", ondelete="CASCADE"), index=True)
    shortage_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("profession_shortage.id", ondelete="CASCADE"), index=True)
    competence_id: Mapped[Optional[int]] = mapped_column(  # where a competence's training data is cited from
        sa.ForeignKey("competence.id", ondelete="CASCADE"), index=True)

    document: Mapped[Optional[SourceDocument]] = relationship()
    provision: Mapped[Optional[Provision]] = relationship()

    @property
    def lines_label(self) -> str:
        if self.line_from is None:
            return ""
        if self.line_to is None or self.line_to == self.line_from:
            return f"L{self.line_from}"
        return f"L{self.line_from}-{self.line_to}"
