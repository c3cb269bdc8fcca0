"""Import jobs (importkørsler): an uploaded file between its dry run and its commit, and the job's progress.

Kept in the database, not on the app server's disk, so that any of several app servers can show the job's page,
take the commit and report progress (a single PostgreSQL is the only shared state)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base


class ImportJob(Base):
    __tablename__ = "import_job"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # a random token: the job's only name
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    filename: Mapped[str] = mapped_column(sa.String(300))
    format: Mapped[str] = mapped_column(sa.String(10))
    upload: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary)  # cleared once written
    state: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # the dry run's changes; can be large
    commit_claimed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(index=True)
