"""Accounts and roles: reader, planner (department leader), editor, reviewer, admin."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, TimestampMixin, one_of
from kb.models.enums import ROLES


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user"
    __table_args__ = (one_of("role", ROLES, "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(120), unique=True, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(300), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(20), default="reader")
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[Optional[datetime]]

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active
