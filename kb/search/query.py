"""Danish search over tasks, professions, competences and provisions (issue: Department leader's workbench, part 1).

    search_tasks(q, category=None, setting=None, holder=None, limit=50, offset=0) -> (task ids best first, total)
    search_all(q, kinds=("profession", "competence", "provision"), limit=10) -> {kind: [Hit, ...]}
    analyse_query(q) -> Query            the analysed query (for highlighting)
    reindex(session=None) -> int         rebuild the index from the database (the seed loader calls it)

Text is analysed in Python (kb.search.analyser) and matched by SQLite FTS5 or PostgreSQL full text
(kb.search.backend). Every query word must match (AND); when that finds nothing, any word may (OR).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb.models.search import SearchDocument
from kb.search import analyser, backend
from kb.search.analyser import Query
from kb.search.index import reindex as _reindex
from kb.search.index import snapshot

OTHER_KINDS = ("profession", "competence", "provision")


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    slug: str
    title: str
    score: float


def _session(session: Session | None) -> Session:
    if session is not None:
        return session
    from kb.extensions import db

    return db.session


def analyse_query(q: str, complete: bool = False, session: Session | None = None) -> Query:
    """`q` analysed against the current index vocabulary; `complete` also reads the last word as a prefix."""
    return analyser.analyse_query(q or "", snapshot(_session(session)).vocabulary, complete_last=complete)


def _match(session: Session, q: str, filters: backend.Filters, limit, offset, complete: bool):
    query = analyse_query(q, complete, session)
    rows, total = backend.match(session, query, filters, limit, offset)
    if total == 0 and len(query.groups) > 1:
        rows, total = backend.match(session, query, filters, limit, offset, any_group=True)
    return rows, total


def search_tasks(q: str, category: str | None = None, setting: str | None = None, holder: str | None = None,
                 limit: int | None = 50, offset: int = 0, complete: bool = False,
                 session: Session | None = None) -> tuple[list[int], int]:
    """Ids of published tasks matching `q` and the filters, best match first, and how many match in all."""
    rows, total = _match(_session(session), q, backend.Filters("task", category, setting, holder), limit, offset,
                         complete)
    return [ref_id for ref_id, _ in rows], total


def search_all(q: str, kinds: tuple[str, ...] = OTHER_KINDS, limit: int = 10, complete: bool = False,
               session: Session | None = None) -> dict[str, list[Hit]]:
    """The best `limit` hits of each kind (profession, competence, provision — or task)."""
    s = _session(session)
    out: dict[str, list[Hit]] = {}
    for kind in kinds:
        rows, _ = _match(s, q, backend.Filters(kind), limit, 0, complete)
        ids = [ref_id for ref_id, _ in rows]
        docs = {d.ref_id: d for d in s.scalars(sa.select(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.ref_id.in_(ids)))} if ids else {}
        out[kind] = [Hit(kind, r, docs[r].slug, docs[r].title, score) for r, score in rows if r in docs]
    return out


def reindex(session: Session | None = None) -> int:
    """Rebuild the search index from the database in the current transaction (the caller commits)."""
    return _reindex(_session(session))


__all__ = ["Hit", "OTHER_KINDS", "Query", "analyse_query", "reindex", "search_all", "search_tasks"]
