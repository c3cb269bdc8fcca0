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
    # Every signed-in session carries the generation it was made in (Flask-Login's alternative token, get_id);
    # logging out, a new password, deactivation or a new role moves it on, which ends every session made before,
    # copies of a cookie included.
    session_generation: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """End every session of this user (a copied cookie too): their generation no longer matches."""
        self.session_generation = (self.session_generation or 0) + 1
