"""The review workflow (udkast → til godkendelse → udgivet / sendt tilbage), without Flask: views call these and
turn the exceptions into pages.

A draft is a Revision with status draft, submitted or rejected holding the whole document. Only publishing writes
the live tables (through the seed loader), so readers and the engine never see a draft. Two locks keep edits from
being lost: a draft remembers the record's version_id it was based on (`base_version`) and is refused once
someone published a newer version; and the draft's own `lock_version` refuses a save or publish of a draft that
changed since the page was opened (two tabs, or the author editing while a reviewer reads).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kb import models as m
from kb import knowledge
from kb.knowledge.checks import bundle_of
from kb.knowledge.documents import FORMAT, KINDS, find, revision_document, to_document
from kb.models.enums import OPEN_REVISION_STATUSES

OPEN = OPEN_REVISION_STATUSES
# Which reference lists a new record in review may be named in, by its kind (see pending_slugs).
_REFERENCE_KEYS = {"task": "task", "profession": "profession", "competence": "competence", "provision": "provision"}


class WorkflowError(Exception):
    """Something about the draft's state or the user stops the action; `code` is the HTTP status to answer."""

    code = 400


class Conflict(WorkflowError):
    """The record was published anew since the draft was based on it."""

    code = 409

    def __init__(self, kind: str, slug: str, base_version: Optional[int], current_version: Optional[int]):
        super().__init__(f"{kind} {slug}: based on version {base_version}, now {current_version}")
        self.kind, self.slug = kind, slug
        self.base_version, self.current_version = base_version, current_version


class DraftChanged(WorkflowError):
    """The draft was saved (or moved on in review) since the page showing it was opened."""

    code = 409


class NotAllowed(WorkflowError):
    """The user may not do this to this draft (not the author, or the author trying to publish their own)."""

    code = 403


class WrongState(WorkflowError):
    """The draft is not in a state that allows the action (e.g. publishing a draft that was not submitted)."""

    code = 409


class NoChange(WorkflowError):
    """The draft would change nothing."""


# -- looking up ----------------------------------------------------------------------------------------------

def current_version(session: Session, kind: str, slug: str) -> Optional[int]:
    record = find(session, kind, slug)
    return None if record is None else record.version_id


def open_drafts(session: Session, kind: str | None = None, slug: str | None = None) -> list[m.Revision]:
    stmt = sa.select(m.Revision).where(m.Revision.status.in_(OPEN)).order_by(m.Revision.id)
    if kind is not None:
        stmt = stmt.where(m.Revision.entity_type == kind)
    if slug is not None:
        stmt = stmt.where(m.Revision.entity_slug == slug)
    return list(session.scalars(stmt))


def own_open_draft(session: Session, kind: str, slug: str, user_id: int) -> Optional[m.Revision]:
    return next((d for d in open_drafts(session, kind, slug) if d.author_id == user_id), None)


def pending_slugs(session: Session, exclude: Optional[int] = None) -> dict[str, set[str]]:
    """Slugs of new records that exist only in open drafts, per reference kind: a rule may name a task that is
    still in review (publishing the rule before the task is refused by the reference check then)."""
    out: dict[str, set[str]] = {}
    for draft in open_drafts(session):
        if draft.id == exclude or draft.entity_type not in KINDS:
            continue
        if draft.entity_type in _REFERENCE_KEYS:
            out.setdefault(_REFERENCE_KEYS[draft.entity_type], set()).add(draft.entity_slug)
        if draft.entity_type == "legal_act":
            out.setdefault("provision", set()).update(p.get("slug", "") for p in draft.data.get("provisions", []))
    for key, slugs in out.items():  # only those not in the database already
        model = {"task": m.Task, "profession": m.Profession, "competence": m.Competence, "provision": m.Provision}[key]
        out[key] = slugs - set(session.scalars(sa.select(model.slug).where(model.slug.in_(slugs))))
    return out


def slug_taken_by_draft(session: Session, kind: str, slug: str, user_id: int) -> bool:
    """A new record's slug is taken while another editor's open draft proposes a new record with it."""
    return any(d.author_id != user_id for d in open_drafts(session, kind, slug)) and find(session, kind, slug) is None


def check_document(session: Session, kind: str, document: dict[str, Any], draft_id: Optional[int] = None) -> None:
    """Fields and references, without writing; raises DocumentError."""
    bundle_of(session, [(kind, document, kind)], extra_known=pending_slugs(session, exclude=draft_id))


# -- drafting ------------------------------------------------------------------------------------------------

def _check_base(session: Session, kind: str, slug: str, base_version: Optional[int]) -> Any:
    record = find(session, kind, slug)
    current = None if record is None else record.version_id
    if current != base_version:
        raise Conflict(kind, slug, base_version, current)
    return record


def _check_lock(draft: m.Revision, lock: Optional[int]) -> None:
    if lock is None or lock != draft.lock_version:
        raise DraftChanged(f"revision {draft.id}: lock {lock}, now {draft.lock_version}")


def save_draft(session: Session, *, kind: str, document: dict[str, Any], reason: str, base_version: Optional[int],
               author_id: int, draft: Optional[m.Revision] = None, lock: Optional[int] = None,
               rebase_to: Optional[int] = None) -> m.Revision:
    """Create or update the author's draft. `rebase_to` is the version the editor saw in a conflict and chose to
    build on: then the draft's base moves there. Flushes; the caller commits."""
    slug = document.get("slug") or ""
    if draft is not None:
        if draft.author_id != author_id:
            raise NotAllowed("not the author")
        if draft.status not in OPEN:
            raise DraftChanged("the draft is no longer open")
        _check_lock(draft, lock)
    if rebase_to is not None and rebase_to == current_version(session, kind, slug):
        base_version = rebase_to
    record = _check_base(session, kind, slug, base_version)
    check_document(session, kind, document, draft_id=draft.id if draft else None)
    if record is not None and to_document(kind, record) == document:
        raise NoChange("same as published")
    if draft is None:
        draft = m.Revision(entity_type=kind, author_id=author_id)
        session.add(draft)
    draft.entity_slug, draft.entity_id = slug, None if record is None else record.id
    draft.data, draft.reason, draft.base_version, draft.status = document, reason, base_version, "draft"
    draft.data_format = FORMAT
    _flush(session)
    return draft


def submit(session: Session, draft: m.Revision, user_id: int, lock: Optional[int]) -> None:
    if draft.author_id != user_id:
        raise NotAllowed("only the author submits")
    if draft.status not in ("draft", "rejected"):
        raise WrongState(draft.status)
    _check_lock(draft, lock)
    draft.status = "submitted"
    _flush(session)


def discard(session: Session, draft: m.Revision, user_id: int, lock: Optional[int]) -> None:
    """Drafts are not history: a discarded draft is deleted."""
    if draft.author_id != user_id:
        raise NotAllowed("only the author discards")
    if draft.status not in OPEN:
        raise WrongState(draft.status)
    _check_lock(draft, lock)
    session.delete(draft)
    _flush(session)


# -- review --------------------------------------------------------------------------------------------------

def _reviewable(draft: m.Revision, reviewer_id: int, lock: Optional[int]) -> None:
    if draft.author_id == reviewer_id:
        raise NotAllowed("own draft")
    if draft.status != "submitted":
        raise WrongState(draft.status)
    _check_lock(draft, lock)


def publish(session: Session, draft: m.Revision, reviewer_id: int, lock: Optional[int], comment: str = "") -> Any:
    """Apply the draft to the live tables, record it as the newest published version, and log it. Raises
    NotAllowed (own draft), WrongState, DraftChanged, Conflict or DocumentError. Flushes; the caller commits."""
    _reviewable(draft, reviewer_id, lock)
    kind, slug = draft.entity_type, draft.entity_slug
    base = draft.base_version  # read now: after a failed flush the session can tell nothing more
    record = _check_base(session, kind, slug, base)
    before = None if record is None else to_document(kind, record)
    document = revision_document(draft)
    try:
        done = knowledge.publish(session, [(kind, document, kind)], knowledge.Publication(
            "publish", reason=draft.reason, author_id=draft.author_id, reviewer_id=reviewer_id, comment=comment,
            draft=draft, summary=f"{kind} {slug}: {draft.reason}", data={"revision": draft.id, "author": draft.author_id}),
            before={(kind, slug): before})
        record = done.record(kind, slug)
        _flush(session)
    except StaleDataError as exc:  # another publication of this record got there first (two reviewers at once)
        session.rollback()  # so the conflict page (and its header's role check) can still read the database
        raise Conflict(kind, slug, base, None) from exc
    return record


def reject(session: Session, draft: m.Revision, reviewer_id: int, lock: Optional[int], comment: str) -> None:
    """Send the draft back to its author with a comment; the author can edit and submit it again."""
    _reviewable(draft, reviewer_id, lock)
    draft.status, draft.review_comment = "rejected", comment
    draft.reviewer_id, draft.reviewed_at = reviewer_id, datetime.now(timezone.utc)
    session.add(m.AuditEvent(user_id=reviewer_id, action="reject", entity_type=draft.entity_type,
                             entity_id=draft.entity_id, summary=f"{draft.entity_type} {draft.entity_slug}: {comment}"[:2000],
                             data={"revision": draft.id, "author": draft.author_id}))
    _flush(session)


# -- history -------------------------------------------------------------------------------------------------

class HasOpenDraft(WorkflowError):
    code = 409

    def __init__(self, draft: m.Revision):
        super().__init__(f"open draft {draft.id}")
        self.draft = draft


def revert(session: Session, version: m.Revision, user_id: int, reason: str) -> m.Revision:
    """A new draft whose document is an earlier published version; it is reviewed like any other draft."""
    kind, slug = version.entity_type, version.entity_slug
    existing = own_open_draft(session, kind, slug, user_id)
    if existing is not None:
        raise HasOpenDraft(existing)
    return save_draft(session, kind=kind, document=revision_document(version), reason=reason, author_id=user_id,
                      base_version=current_version(session, kind, slug))


def _flush(session: Session) -> None:
    """A concurrent change of the same draft or record shows up as a stale version at flush."""
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()  # the failed flush leaves nothing to keep; the 409 page must still read the database
        raise DraftChanged(str(exc)) from exc
