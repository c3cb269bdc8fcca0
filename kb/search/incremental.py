"""Reindex only what a publication changed (issue 20, part 1): the published records' own search documents and
those whose text includes theirs — a renamed profession's tasks (the tasks list their holders' names), a renamed
competence's tasks (their required competences' names), a renamed act's provisions.

Why: the full rebuild (kb.search.index.reindex) reads and analyses every record — 25–33 s on a 50,000-task
catalogue, holding the write lock — for one corrected typo. Here the work is the changed records and their
dependents, in the same transaction as the change (kb.knowledge.publish), so a search sees the index and the
knowledge of one version. Compound parts of the new texts are split against the index's surface words as they
stand plus the new texts' own; documents left alone keep the analysis they were built with until the next full
rebuild (`kb seed`, a restore, a change of synonyms, which expand into every document).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from kb.knowledge_state import mark_changed
from kb.models.search import SearchDocument
from kb.models.task import task_holder
from kb.search import vocabulary
from kb.search.index import reindex, rows_for, sources, surface_words, synonym_table

__all__ = ["INDEXED_KINDS", "index_targets", "reindex_changes", "reindex_documents"]

INDEXED_KINDS = ("task", "profession", "competence", "provision")
# Kinds whose change touches every document: the synonym table expands into each one.
_EVERYTHING = ("synonym",)
_CHUNK = 5_000  # ids per IN (…): SQLite allows 32,766 bound values; a renamed nurse has 16,000 tasks
_FTS_COLUMNS = "title_tokens, terms_tokens, related_tokens, body_tokens"

Change = tuple[str, Any, Optional[dict[str, Any]], dict[str, Any]]  # (kind, record, document before, after)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _changed(old: Optional[dict[str, Any]], new: dict[str, Any], *fields: str) -> bool:
    return old is not None and any(old.get(f) != new.get(f) for f in fields)


def index_targets(session: Session, changes: list[Change]) -> dict[str, set[int]] | None:
    """kind → ids of the search documents these changes make stale, or None when only a full rebuild will do."""
    targets: dict[str, set[int]] = {kind: set() for kind in INDEXED_KINDS}
    for kind, record, old, new in changes:
        if kind in _EVERYTHING and old != new:
            return None
        if kind in targets:
            targets[kind].add(record.id)
        if kind == "profession" and _changed(old, new, "name", "abbreviation"):
            targets["task"].update(session.scalars(
                sa.select(task_holder.c.task_id).where(task_holder.c.profession_id == record.id)))
            targets["profession"].update(session.scalars(  # its specialisations name it as their parent
                sa.select(m.Profession.id).where(m.Profession.parent_id == record.id)))
        elif kind == "competence" and _changed(old, new, "name"):
            targets["task"].update(session.scalars(sa.select(m.TaskRequirement.task_id).where(
                m.TaskRequirement.competence_id == record.id, m.TaskRequirement.level == "required")))
        elif kind == "legal_act":
            if _changed(old, new, "short_name", "title") or old is None:
                targets["provision"].update(session.scalars(
                    sa.select(m.Provision.id).where(m.Provision.act_id == record.id)))
    return targets


def reindex_changes(session: Session, changes: list[Change]) -> int:
    """The index after a publication: the stale documents only, or everything when a synonym changed."""
    targets = index_targets(session, changes)
    if targets is None:
        return reindex(session)
    return reindex_documents(session, targets)


def _counts_of_documents(session: Session, targets: dict[str, set[int]]) -> vocabulary.Counts:
    """The vocabulary counts of the documents about to be replaced."""
    columns = [getattr(SearchDocument, c) for c in ("words", *vocabulary.TOKEN_COLUMNS)]
    found = vocabulary.Counts()
    for kind, ids in targets.items():
        for chunk in _chunks(ids):
            found += vocabulary.counts_of(r._mapping for r in session.execute(sa.select(*columns).where(
                SearchDocument.kind == kind, SearchDocument.ref_id.in_(chunk))))
    return found


def reindex_documents(session: Session, targets: dict[str, set[int]]) -> int:
    """Replace the search documents of these records (kind → ids) in the caller's transaction; a record no longer
    indexed (a task back in draft) loses its document. Returns the number of documents written."""
    targets = {kind: ids for kind, ids in targets.items() if ids}
    if not targets:
        return 0
    sqlite = session.get_bind().dialect.name == "sqlite"
    removed = _counts_of_documents(session, targets)
    forget = sa.text(f"INSERT INTO search_fts(search_fts, rowid, {_FTS_COLUMNS}) SELECT 'delete', id, "
                     f"{_FTS_COLUMNS} FROM search_document WHERE kind = :kind AND ref_id IN :ids") \
        .bindparams(sa.bindparam("ids", expanding=True))
    for kind, ids in targets.items():
        for chunk in _chunks(ids):
            if sqlite:  # FTS5 with external content: tell it the old rows' tokens before they go
                session.execute(forget, {"kind": kind, "ids": chunk})
            session.execute(sa.delete(SearchDocument).where(SearchDocument.kind == kind,
                                                            SearchDocument.ref_id.in_(chunk)))
    found = sources(session, targets)
    # the surface words of the index as it stands without the replaced documents, and the new texts' own
    words = vocabulary.surface_words_without(session, removed).union(*(surface_words(s) for s in found))
    generation = (session.scalar(sa.select(sa.func.max(SearchDocument.generation))) or 0) + 1
    rows = rows_for(found, words, synonym_table(session), generation)
    vocabulary.change(session, removed, vocabulary.counts_of(rows))
    if rows:
        session.execute(sa.insert(SearchDocument), rows)
        if sqlite:
            session.execute(sa.text(
                f"INSERT INTO search_fts(rowid, {_FTS_COLUMNS}) SELECT id, {_FTS_COLUMNS} FROM search_document "
                "WHERE generation = :generation"), {"generation": generation})
    mark_changed(session)
    return len(rows)
