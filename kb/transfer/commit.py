"""The import's commit: all or nothing. The dry run again inside one transaction, a check that nobody changed the
records since the user saw it, then the one write path (kb.knowledge.publish) in chunks so progress shows while it
writes — search index, each changed record into history with the importer as author and reviewer, one audit event.
Any error and nothing is written."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from kb.knowledge.publish import Publication, publish
from kb.transfer.dry_run import Plan, Progress, _quiet, plan_import

class ImportRefused(Exception):
    """The file has errors: nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.file_errors) + len(plan.errors)} fejl")
        self.plan = plan


class ImportStale(Exception):
    """Records in the file were changed by someone else after the dry run: nothing was written."""

    def __init__(self, slugs: list[str]):
        super().__init__(", ".join(slugs))
        self.slugs = slugs


@dataclass(frozen=True)
class Result:
    created: int
    changed: int
    unchanged: int
    plan: Plan


WRITE_CHUNK = 200  # records per loader run: the progress bar moves while the database is written


def commit_import(session: Session, kind: str, filename: str, data: bytes, *, reason: str,
                  user_id: Optional[int], expected_versions: Optional[dict[str, Optional[int]]] = None,
                  progress: Progress = _quiet) -> Result:
    """All or nothing: the dry run again, then write, record history and audit, and commit. On any error the
    transaction is rolled back and the exception raised (ImportRefused, ImportStale, or what the database said)."""
    try:
        plan = plan_import(session, kind, filename, data, progress)
        if not plan.ok:
            raise ImportRefused(plan)
        if expected_versions is not None:
            moved = sorted(s for s in set(expected_versions) | set(plan.versions)
                           if expected_versions.get(s) != plan.versions.get(s))
            if moved:
                raise ImportStale(moved)
        work = plan.additions + plan.changes
        if work:
            publish(session, [(kind, p.after, str(p.row)) for p in work], Publication(
                "import", reason=reason, author_id=user_id, reviewer_id=user_id, comment=f"import {filename}",
                summary=(f"import {filename}: {len(plan.additions)} oprettet, {len(plan.changes)} ændret — "
                         f"{reason}"),
                data={"file": filename, "created": [p.slug for p in plan.additions],
                      "changed": [p.slug for p in plan.changes], "unchanged": plan.unchanged}),
                before={(kind, p.slug): p.before for p in work}, chunk=WRITE_CHUNK, progress=progress)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Result(len(plan.additions), len(plan.changes), plan.unchanged, plan)
