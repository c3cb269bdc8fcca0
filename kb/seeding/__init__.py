"""Seed loading: seed/*.yaml → database through the one write path (kb.knowledge.publish): upsert by slug,
idempotent, all-or-nothing. `kb check-seed`'s review of the seed's legal content is kb.seeding.review."""
from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from kb.knowledge.bundle import SeedBundle, SeedError, SeedErrors, check_line_ranges, read_bundle
from kb.knowledge.publish import Publication, publish


def load_bundle(session: Session, bundle: SeedBundle, dry_run: bool = False) -> Counter:
    """Publish the seed bundle and commit; on any error, or with ``dry_run``, nothing is kept. Returns the change
    counts (none on a second run)."""
    try:
        changes = publish(session, bundle, Publication("seed")).changes
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return changes
    except SeedErrors:
        session.rollback()
        raise
    except Exception as exc:  # a database constraint we did not foresee: still roll back, still say where
        session.rollback()
        raise SeedErrors([SeedError("database", "", f"{type(exc).__name__}: {exc}")]) from exc


__all__ = ["SeedBundle", "SeedError", "SeedErrors", "check_line_ranges", "load_bundle", "read_bundle"]
