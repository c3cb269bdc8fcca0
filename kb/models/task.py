"""Tasks (opgaver): what they need, who holds them today, what governs them, and where we know it from."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, VersionedMixin, one_of
from kb.models.enums import COMPLEXITIES, REQUIREMENT_LEVELS, TASK_CATEGORIES, TASK_STATUSES, TERM_KINDS

if TYPE_CHECKING:
    from kb.models.competence import Competence
    from kb.models.law import Provision
    from kb.models.profession import Profession, Setting
    from kb.models.rule import Evidence, Rule
    from kb.models.source import SourceCitation

task_setting = sa.Table(
    "task_setting", Base.metadata,
    sa.Column("task_id", sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("setting_id", sa.ForeignKey("setting.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Typical current holders (hvem løser opgaven i dag); indexed by profession for "what can move away from X".
task_holder = sa.Table(
    "task_holder", Base.metadata,
    sa.Column("task_id", sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("profession_id", sa.ForeignKey("profession.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Provisions that govern a task: reserve it, make it never delegable, demand a written instruction, …
task_provision = sa.Table(
    "task_provision", Base.metadata,
    sa.Column("task_id", sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("provision_id", sa.ForeignKey("provision.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Task(SlugMixin, VersionedMixin, Base):
    __tablename__ = "task"
    __table_args__ = (
        one_of("category", TASK_CATEGORIES, "category"),
        one_of("status", TASK_STATUSES, "status"),
        sa.Index("ix_task_id_status", "id", "status"),  # search: "is this hit published?" without the wide row
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(20), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="published", index=True)
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    settings: Mapped[list[Setting]] = relationship(secondary=task_setting, order_by="Setting.slug")
    holders: Mapped[list[Profession]] = relationship(secondary=task_holder, order_by="Profession.slug")
    provisions: Mapped[list[Provision]] = relationship(secondary=task_provision, order_by="Provision.slug")
    terms: Mapped[list[TaskTerm]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskTerm.id")
    requirements: Mapped[list[TaskRequirement]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskRequirement.id")
    citations: Mapped[list[SourceCitation]] = relationship(
        foreign_keys="SourceCitation.task_id", cascade="all, delete-orphan", order_by="SourceCitation.id")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Evidence.id")
    rules: Mapped[list[Rule]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Rule.slug")

    def __repr__(self) -> str:
        return f"<Task {self.slug}>"


class TaskTerm(Base):
    """A synonym or abbreviation people search by (PVK, BS, epikrise, …)."""

    __tablename__ = "task_term"
    __table_args__ = (one_of("kind", TERM_KINDS, "kind"), sa.UniqueConstraint("task_id", "term", name="uq_task_term_task_id_term"))
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20), default="synonym")

    task: Mapped[Task] = relationship(back_populates="terms")


class TaskRequirement(Base):
    """A competence a task needs: required (påkrævet) or desirable (ønskelig), optionally only at one complexity."""

    __tablename__ = "task_requirement"
    __table_args__ = (
        one_of("level", REQUIREMENT_LEVELS, "level"),
        one_of("complexity", COMPLEXITIES, "complexity", nullable=True),
        sa.UniqueConstraint("task_id", "competence_id", "complexity", name="uq_task_requirement_task_competence"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"), index=True)
    competence_id: Mapped[int] = mapped_column(sa.ForeignKey("competence.id", ondelete="RESTRICT"), index=True)
    level: Mapped[str] = mapped_column(sa.String(20), default="required")
    complexity: Mapped[Optional[str]] = mapped_column(sa.String(20))

    task: Mapped[Task] = relationship(back_populates="requirements")
    competence: Mapped[Competence] = relationship()
