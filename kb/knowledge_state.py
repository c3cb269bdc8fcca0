"""Per-process caches of derived knowledge, valid while the knowledge version token is unchanged.

Why: a task page and a who-may call need the whole profession/competence/offer catalogue, and "shiftable" needs the
shape of every task a group holds. Rebuilding these from the database on every request cost 25–45 ms (catalogue)
and seconds (task shapes) on a national-size catalogue (docs/benchmark.md). Several app servers share one database,
so a cache cannot be cleared by a call in one process; instead every cache entry remembers the token of
``knowledge_state`` it was built under, and a request reads the token (one indexed row) before using an entry.

Who changes the token:

* every ORM flush that adds, changes or deletes a knowledge row (anything but users, plans, drafts, the audit log,
  import jobs, the search index and the stored PDFs) marks the session; the token is rewritten just before that transaction commits,
  so the row lock is held only while committing (no lock waits behind a long import, no deadlock);
* so does an ORM-enabled UPDATE/DELETE/INSERT statement on a knowledge table (``session.execute(update(Task)…)``);
* writers that bypass the ORM altogether (the backup restore, the benchmark catalogue) call :func:`bump`.

What is cached, keyed by what and how many: kb/caches.py.

A session with uncommitted knowledge changes never fills a cache: what it sees may still be rolled back.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb.caches import family as declared
from kb.models.base import utcnow
from kb.models.knowledge import SINGLETON_ID, KnowledgeState

T = TypeVar("T")

_CHANGED = "kb_knowledge_changed"
_TOKEN = "kb_knowledge_token"
# Tables whose rows are not published knowledge: writing them leaves the caches valid.
NOT_KNOWLEDGE = frozenset({"user", "shift_plan", "shift_plan_item", "revision", "audit_event", "import_job",
                           "search_document", "knowledge_state", "rendered_document"})

_lock = threading.Lock()
# family → (database URL, key) → (token, value), least recently used first
_families: dict[str, OrderedDict[tuple[str, str], tuple[str, Any]]] = {}
# (family, (database URL, key), token) → the lock of the one build under way
_building: dict[tuple[str, tuple[str, str], str], threading.Lock] = {}


def _is_knowledge(obj: object) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in NOT_KNOWLEDGE


def mark_changed(session: Session) -> None:
    """Record that this transaction changes knowledge; the token is rewritten when it commits."""
    session.info[_CHANGED] = True


def bump(connection: sa.Connection) -> None:
    """Write a new token now, on ``connection`` (for writers outside the ORM unit of work)."""
    connection.execute(sa.update(KnowledgeState.__table__)
                       .where(KnowledgeState.__table__.c.id == SINGLETON_ID)
                       .values(token=uuid.uuid4().hex, changed_at=utcnow()))


@sa.event.listens_for(Session, "after_flush")
def _note_knowledge_writes(session: Session, _context) -> None:
    if session.info.get(_CHANGED):
        return
    dirty = (o for o in session.dirty if session.is_modified(o, include_collections=True))
    if any(_is_knowledge(o) for o in chain(session.new, session.deleted, dirty)):
        mark_changed(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _note_orm_statements(state) -> None:
    """``session.execute(update(Task)…)`` (and delete/insert) writes without the unit of work, so no flush sees it:
    an ORM-enabled statement on a knowledge table marks the session as well."""
    if state.is_update or state.is_delete or state.is_insert:
        if any(mapper.local_table.name not in NOT_KNOWLEDGE for mapper in state.all_mappers):
            mark_changed(state.session)


@sa.event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    session.flush()  # the commit's own final flush runs after this hook; its writes must count too
    if session.info.pop(_CHANGED, False):
        bump(session.connection())


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:
    """Only the outermost transaction's rollback undoes its changes. A SAVEPOINT rolled back (the editing preview,
    "try, and on an error roll back the savepoint") leaves the outer transaction's changes standing, so its mark
    stays; a mark left by the savepoint's own flushes costs one extra cache invalidation at most."""
    if previous_transaction.nested or previous_transaction.parent is not None:
        return
    session.info.pop(_CHANGED, None)


@contextmanager
def scratch(session: Session) -> Iterator[None]:
    """A SAVEPOINT that is always rolled back (the editing preview tries a draft in one). Its writes never reach the
    database, so the outer transaction's knowledge mark is left as it was before: reading a draft's preview does
    not invalidate every server's caches. Inside it the mark is set by the first flush, so nothing read there is
    cached."""
    marked = session.info.get(_CHANGED, False)
    savepoint = session.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()
        if not marked:
            session.info.pop(_CHANGED, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_token(session: Session, _transaction) -> None:
    session.info.pop(_TOKEN, None)  # read again in the next transaction: another server may have changed it


def current_token(session: Session) -> str | None:
    """The committed knowledge version, or None when this session has uncommitted knowledge changes: then nothing
    may be cached."""
    if session.info.get(_CHANGED):
        return None
    token = session.info.get(_TOKEN)
    if token is None:  # once per transaction (a request): the catalogue, look-ups and page caches all ask
        token = session.scalar(sa.select(KnowledgeState.token).where(KnowledgeState.id == SINGLETON_ID))
        session.info[_TOKEN] = token
    return token


def cached(session: Session, family: str, key: str, build: Callable[[], T]) -> T:
    """``build()``'s value for ``key`` in a declared cache ``family`` (kb/caches.py), reused in this process while the
    knowledge token is unchanged (None is never kept).

    A family keeps its ``keep`` most recently used keys, so a family of large values cannot grow without bound. A
    miss is built once: requests that miss the same key meanwhile wait for that build (after a publication, N
    requests for the nurses' shortlist would otherwise each build 20 MB)."""
    keep = declared(family).keep
    token = current_token(session)
    if token is None:
        return build()
    full = (session.get_bind().url.render_as_string(hide_password=True), key)
    with _lock:
        entries = _families.setdefault(family, OrderedDict())
        hit = entries.get(full)
        if hit is not None and hit[0] == token:
            entries.move_to_end(full)
            return hit[1]
        building = _building.setdefault((family, full, token), threading.Lock())
    with building:  # single flight: the first request builds, the others find its value
        with _lock:
            hit = _families.setdefault(family, OrderedDict()).get(full)
            if hit is not None and hit[0] == token:
                return hit[1]
        value = None
        try:
            value = build()
        finally:
            with _lock:  # keep the value before the next request can find no build under way
                if value is not None:  # "not found" is not kept: unknown slugs must not push real entries out
                    entries = _families.setdefault(family, OrderedDict())
                    entries[full] = (token, value)
                    entries.move_to_end(full)
                    while len(entries) > keep:
                        entries.popitem(last=False)
                _building.pop((family, full, token), None)
    return value


def clear() -> None:
    """Forget every cache entry of this process (tests that compare cold and warm paths)."""
    with _lock:
        _families.clear()
        _building.clear()
