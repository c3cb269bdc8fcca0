"""Regions and municipalities: the scope of organisational rules (aftaler og lokale instrukser)."""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, SlugMixin, one_of

ORGANISATION_KINDS = ("region", "municipality")


class Organisation(SlugMixin, Base):
    """A region or a municipality; a municipality's ``parent`` is its region, whose agreements also apply there."""

    __tablename__ = "organisation"
    __table_args__ = (one_of("kind", ORGANISATION_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="region")
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"))

    parent: Mapped[Optional[Organisation]] = relationship(remote_side=[id])

    def chain(self) -> tuple[str, ...]:
        """Its slug and its parents' (a municipality, then its region)."""
        out, seen, node = [], set(), self
        while node is not None and node.id not in seen:
            seen.add(node.id)
            out.append(node.slug)
            node = node.parent
        return tuple(out)
