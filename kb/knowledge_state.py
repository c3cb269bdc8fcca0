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

What changed, when it is known: the one write path (kb.knowledge.publish) says which kinds and tasks a publication
touched (:func:`note_scope`, inside :func:`publishing`); when every knowledge write of a transaction went through it,
the commit records the step old token → new token with that scope (kb.models.knowledge.KnowledgeChange). A value
``cached`` with a ``patch`` is then brought up to date for the touched tasks instead of being rebuilt (the nurses'
shortlist: 30 ms instead of 3–4 s after a task is published; issue 20, part 3). A write outside the write path, a
seed, a restore or a missing step means "unknown": the value is rebuilt, as it always was.

What is cached, keyed by what and how many: kb/caches.py.

A session with uncommitted knowledge changes never fills a cache: what it sees may still be rolled back.
"""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb.caches import family as declared
from kb.models.base import utcnow
from kb.models.knowledge import SINGLETON_ID, KnowledgeChange, KnowledgeState

T = TypeVar("T")

_CHANGED = "kb_knowledge_changed"
_TOKEN = "kb_knowledge_token"
_SCOPE = "kb_knowledge_scope"  # what this transaction's knowledge writes touched: a Scope, or _UNKNOWN
_PUBLISHING = "kb_knowledge_publishing"
_UNKNOWN = "unknown"
_PREVIOUS = "kb_knowledge_previous"  # the current token's recorded predecessor (None: not known)
_STEPS = "kb_knowledge_steps"  # old token → what the steps since touched, worked out once per transaction
KEEP_CHANGES = 200  # steps kept in knowledge_change; a server further behind rebuilds
CHAIN_STEPS = 50  # steps a kept value may be behind and still be brought up to date
# Tables whose rows are not published knowledge: writing them leaves the caches valid.
NOT_KNOWLEDGE = frozenset({"user", "shift_plan", "shift_plan_item", "revision", "audit_event", "import_job",
                           "search_document", "search_vocabulary", "knowledge_state", "rendered_document",
                           "knowledge_change"})

_lock = threading.Lock()
# family → (database URL, key) → (token, value), least recently used first
_families: dict[str, OrderedDict[tuple[str, str], tuple[str, Any]]] = {}
# (family, (database URL, key), token) → the lock of the one build under way
_building: dict[tuple[str, tuple[str, str], str], threading.Lock] = {}


def _is_knowledge(obj: object) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in NOT_KNOWLEDGE


@dataclass(frozen=True)
class Scope:
    """What one or more knowledge changes touched: the document kinds published and the slugs of the tasks whose
    engine facts may differ (a rule's task, a provision's tasks). Anything wider is "unknown", never a Scope."""

    kinds: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()

    def union(self, other: Scope) -> Scope:
        return Scope(self.kinds | other.kinds, self.tasks | other.tasks)

    def within(self, *kinds: str) -> bool:
        return self.kinds <= frozenset(kinds)


def mark_changed(session: Session) -> None:
    """Record that this transaction changes knowledge; the token is rewritten when it commits."""
    session.info[_CHANGED] = True


def note_scope(session: Session, scope: Scope | None) -> None:
    """The write path says what its publication touched (None: it cannot say, e.g. a seed or a profession)."""
    known = session.info.get(_SCOPE)
    if scope is None or known == _UNKNOWN:
        session.info[_SCOPE] = _UNKNOWN
    else:
        session.info[_SCOPE] = scope if known is None else known.union(scope)


@contextmanager
def publishing(session: Session) -> Iterator[None]:
    """Knowledge written inside is described by :func:`note_scope`; written outside, it is "unknown"."""
    session.info[_PUBLISHING] = True
    try:
        yield
    finally:
        session.info.pop(_PUBLISHING, None)


def bump(connection: sa.Connection, scope: Scope | None = None) -> None:
    """Write a new token now, on ``connection`` (for writers outside the ORM unit of work), and with a ``scope`` the
    step it makes. The old token is read under a row lock (PostgreSQL), so two commits cannot both claim it."""
    table = KnowledgeState.__table__
    previous = connection.scalar(sa.select(table.c.token).where(table.c.id == SINGLETON_ID).with_for_update())
    token = uuid.uuid4().hex
    known = scope is not None and previous is not None
    connection.execute(sa.update(table).where(table.c.id == SINGLETON_ID).values(
        token=token, changed_at=utcnow(), previous=previous if known else None))
    if not known:
        return
    steps = KnowledgeChange.__table__
    connection.execute(sa.insert(steps).values(token=token, previous=previous, kinds=" ".join(sorted(scope.kinds)),
                                               tasks="\n".join(sorted(scope.tasks)), changed_at=utcnow()))
    newest = connection.scalar(sa.select(sa.func.max(steps.c.id)))
    connection.execute(sa.delete(steps).where(steps.c.id <= newest - KEEP_CHANGES))


def changes_between(session: Session, old: str, new: str) -> Scope | None:
    """What the steps from token ``old`` to the current token ``new`` touched, or None when a step is not known.
    No query when the last step is unknown (that is read with the token); else one per transaction."""
    if old == new:
        return Scope()
    if current_token(session) != new or session.info.get(_PREVIOUS) is None:
        return None
    found = session.info.setdefault(_STEPS, {})
    if old not in found:
        found[old] = _walk(session, old, new)
    return found[old]


def _walk(session: Session, old: str, new: str) -> Scope | None:
    steps = KnowledgeChange.__table__
    rows = session.execute(sa.select(steps.c.token, steps.c.previous, steps.c.kinds, steps.c.tasks)
                           .order_by(steps.c.id.desc()).limit(CHAIN_STEPS)).all()
    by_token = {r.token: r for r in rows}
    scope, token = Scope(), new
    while token != old:
        step = by_token.pop(token, None)  # popped: a cycle cannot loop
        if step is None:
            return None
        scope = scope.union(Scope(frozenset(step.kinds.split()), frozenset(_lines(step.tasks))))
        token = step.previous
    return scope


def _lines(text: str) -> Iterable[str]:
    return (line for line in text.split("\n") if line)


def _note_unscoped(session: Session) -> None:
    mark_changed(session)
    if not session.info.get(_PUBLISHING):
        session.info[_SCOPE] = _UNKNOWN


@sa.event.listens_for(Session, "after_flush")
def _note_knowledge_writes(session: Session, _context) -> None:
    if session.info.get(_CHANGED) and (session.info.get(_PUBLISHING) or session.info.get(_SCOPE) == _UNKNOWN):
        return  # nothing more to learn from this flush
    dirty = (o for o in session.dirty if session.is_modified(o, include_collections=True))
    if any(_is_knowledge(o) for o in chain(session.new, session.deleted, dirty)):
        _note_unscoped(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _note_orm_statements(state) -> None:
    """``session.execute(update(Task)…)`` (and delete/insert) writes without the unit of work, so no flush sees it:
    an ORM-enabled statement on a knowledge table marks the session as well."""
    if state.is_update or state.is_delete or state.is_insert:
        if any(mapper.local_table.name not in NOT_KNOWLEDGE for mapper in state.all_mappers):
            _note_unscoped(state.session)


@sa.event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    session.flush()  # the commit's own final flush runs after this hook; its writes must count too
    scope = session.info.pop(_SCOPE, None)
    if session.info.pop(_CHANGED, False):
        bump(session.connection(), scope if isinstance(scope, Scope) else None)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:
    """Only the outermost transaction's rollback undoes its changes. A SAVEPOINT rolled back (the editing preview,
    "try, and on an error roll back the savepoint") leaves the outer transaction's changes standing, so its mark
    stays; a mark left by the savepoint's own flushes costs one extra cache invalidation at most."""
    if previous_transaction.nested or previous_transaction.parent is not None:
        return
    session.info.pop(_CHANGED, None)
    session.info.pop(_SCOPE, None)


@contextmanager
def scratch(session: Session) -> Iterator[None]:
    """A SAVEPOINT that is always rolled back (the editing preview tries a draft in one). Its writes never reach the
    database, so the outer transaction's knowledge mark is left as it was before: reading a draft's preview does
    not invalidate every server's caches. Inside it the mark is set by the first flush, so nothing read there is
    cached."""
    marked = session.info.get(_CHANGED, False)
    scope = session.info.get(_SCOPE)
    savepoint = session.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()
        if not marked:
            session.info.pop(_CHANGED, None)
        if scope is None:
            session.info.pop(_SCOPE, None)
        else:
            session.info[_SCOPE] = scope


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_token(session: Session, _transaction) -> None:
    for name in (_TOKEN, _PREVIOUS, _STEPS):  # read again in the next transaction: another server may have written
        session.info.pop(name, None)


_TOKEN_QUERY = sa.select(KnowledgeState.__table__.c.token, KnowledgeState.__table__.c.previous) \
    .where(KnowledgeState.__table__.c.id == SINGLETON_ID)


def current_token(session: Session) -> str | None:
    """The committed knowledge version, or None when this session has uncommitted knowledge changes: then nothing
    may be cached."""
    info = session.info  # one look-up through the scoped session's registry, not four
    if info.get(_CHANGED):
        return None
    token = info.get(_TOKEN)
    if token is None:  # once per transaction (a request): the catalogue, look-ups and page caches all ask
        if session.autoflush:  # as an ORM read would: pending knowledge writes mark the session first
            session.flush()
            if info.get(_CHANGED):
                return None
        # A prepared Core statement on the session's connection: a third of the ORM read's cost (~0.1 against
        # ~0.35 ms), and every request of a cached page pays it (docs/benchmark.md).
        row = session.connection().execute(_TOKEN_QUERY).first()
        token, info[_PREVIOUS] = (row[0], row[1]) if row is not None else (None, None)
        info[_TOKEN] = token
    return token


def cached(session: Session, family: str, key: str, build: Callable[[], T],
           patch: Callable[[T, Scope], T | None] | None = None) -> T:
    """``build()``'s value for ``key`` in a declared cache ``family`` (kb/caches.py), reused in this process while the
    knowledge token is unchanged (None is never kept).

    A family keeps its ``keep`` most recently used keys, so a family of large values cannot grow without bound. A
    miss is built once: requests that miss the same key meanwhile wait for that build (after a publication, N
    requests for the nurses' shortlist would otherwise each build 20 MB).

    With ``patch``, a value kept under an older token is brought up to date instead: ``patch(old value, scope)`` with
    what every step since touched (:func:`changes_between`); it returns the new value, or None to rebuild. It is
    never called when a step is unknown. It must give what ``build()`` would (tests compare the two)."""
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
            if patch is not None and hit is not None:
                scope = changes_between(session, hit[0], token)
                if scope is not None:
                    value = patch(hit[1], scope)
            if value is None:
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
