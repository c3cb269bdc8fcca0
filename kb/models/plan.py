"""Shift plans (opgaveflytningsplaner): a unit's plan to move tasks between groups, and the time it frees."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, VersionedMixin

if TYPE_CHECKING:
    from kb.models.profession import Profession
    from kb.models.task import Task
    from kb.models.user import User


class ShiftPlan(VersionedMixin, Base):
    __tablename__ = "shift_plan"
    __table_args__ = (sa.CheckConstraint("hours_per_fte > 0", name="hours_per_fte"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    unit: Mapped[str] = mapped_column(sa.String(300), default="")
    owner_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    hours_per_fte: Mapped[float] = mapped_column(default=37.0)  # 1 årsværk = 37 timer/uge unless configured
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    owner: Mapped[Optional[User]] = relationship()
    items: Mapped[list[ShiftPlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ShiftPlanItem.id")


class ShiftPlanItem(VersionedMixin, Base):
    __tablename__ = "shift_plan_item"
    __table_args__ = (
        sa.CheckConstraint("occurrences_per_week >= 0", name="occurrences"),
        sa.CheckConstraint("minutes_each >= 0", name="minutes"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("shift_plan.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="RESTRICT"), index=True)
    from_profession_id: Mapped[int] = mapped_column(sa.ForeignKey("profession.id", ondelete="RESTRICT"))
    to_profession_id: Mapped[int] = mapped_column(sa.ForeignKey("profession.id", ondelete="RESTRICT"))
    occurrences_per_week: Mapped[float] = mapped_column(default=0.0)
    minutes_each: Mapped[float] = mapped_column(default=0.0)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    plan: Mapped[ShiftPlan] = relationship(back_populates="items")
    task: Mapped[Task] = relationship()
    from_profession: Mapped[Profession] = relationship(foreign_keys=[from_profession_id])
    to_profession: Mapped[Profession] = relationship(foreign_keys=[to_profession_id])

    @property
    def hours_per_week(self) -> float:
        return self.occurrences_per_week * self.minutes_each / 60.0
