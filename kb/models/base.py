"""Declarative base with a constraint naming convention (Alembic batch mode on SQLite needs names)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def one_of(column: str, values: tuple[str, ...], name: str, nullable: bool = False) -> sa.CheckConstraint:
    """A CHECK constraint that keeps an enumeration column inside its values."""
    allowed = ", ".join(f"'{v}'" for v in values)
    expr = f"{column} IN ({allowed})"
    if nullable:
        expr = f"{column} IS NULL OR {expr}"
    return sa.CheckConstraint(expr, name=name)


SLUG_LENGTH = 120


class SlugMixin:
    """Stable, unique, URL-safe identifier (æ→ae, ø→oe, å→aa)."""

    slug: Mapped[str] = mapped_column(sa.String(SLUG_LENGTH), unique=True, index=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin(TimestampMixin):
    """Optimistic locking: an UPDATE whose version_id no longer matches fails instead of overwriting."""

    version_id: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy declared_attr signature
        return {"version_id_col": cls.version_id}
