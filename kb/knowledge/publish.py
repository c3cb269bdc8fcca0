"""The one write path (udgivelse): every change to published knowledge goes through :func:`publish`.

Its callers are the seed loader (`kb seed`), a reviewer publishing an editor's draft (a revert is a draft too) and
the spreadsheet import's commit. The steps are always these, in this order:

1. **check** — each document against its kind's schema, every reference against the database and the batch, and
   cited report line ranges (kb.knowledge.checks); a seed bundle was checked when its files were read;
2. **load** — upsert by slug through one Loader (kb.knowledge.loader), in chunks when asked so an import's progress
   bar moves while the database is written;
3. **reindex** — the search index follows the data, in the same transaction: the changed records' documents and
   those whose text includes theirs (kb.search.incremental), or everything for a seed or a synonym change; and the
   knowledge token's next step records which tasks changed (kb.knowledge.scope), so every server brings what it
   keeps up to date for those tasks only;
4. **history** — each record whose document changed gets a published Revision (kb.knowledge.history); records
   loaded from seed/ get theirs at their first change, with a baseline;
5. **audit** — one AuditEvent for the batch.

It flushes and never commits: the caller owns the transaction, so a batch is all-or-nothing, and its commit writes a
new knowledge token (kb.knowledge_state) that every server's caches follow.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy.orm import Session

from kb import models as m
from kb.knowledge.bundle import Entry, SeedBundle
from kb.knowledge.checks import bundle_of
from kb.knowledge.documents import KINDS, records, to_document
from kb.knowledge.history import record_published
from kb.knowledge.loader import Loader
from kb.knowledge.scope import scope_of
from kb.knowledge_state import note_scope, publishing

Progress = Callable[[str, int, int], None]  # (step, done, total)
Document = tuple[str, dict[str, Any], str]  # (kind, document, origin: where it came from, for error messages)
ACTIONS = ("seed", "publish", "import")  # the audit actions that change knowledge (the PDFs' version stamp)
REPORT_EVERY = 50  # records between history progress reports


def _quiet(step: str, done: int, total: int) -> None:
    pass


@dataclass
class Publication:
    """Who publishes what, and why: what history and the audit log record."""

    action: str  # one of ACTIONS
    reason: str = ""
    author_id: Optional[int] = None
    reviewer_id: Optional[int] = None
    comment: str = ""
    draft: Optional[m.Revision] = None  # the editor's draft being published: it becomes the published revision
    summary: Optional[str] = None  # the audit event's summary; by default the change counts
    data: Optional[dict[str, Any]] = None  # the audit event's data; by default the change counts

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown publication action {self.action!r}")


@dataclass
class Published:
    """What a publication did: the loader's change counts and, per record, its document before and after."""

    changes: Counter
    records: list[tuple[str, str, Any, Optional[dict[str, Any]], dict[str, Any]]] = field(default_factory=list)

    def record(self, kind: str, slug: str) -> Any:
        return next(r for k, s, r, _, _ in self.records if (k, s) == (kind, slug))


def publish(session: Session, documents: list[Document] | SeedBundle, how: Publication, *,
            before: Optional[dict[tuple[str, str], Optional[dict[str, Any]]]] = None,
            chunk: Optional[int] = None, progress: Progress = _quiet) -> Published:
    """Check, load, reindex, record history and audit ``documents`` (or a checked seed bundle) in the caller's
    transaction. ``before``: the records' documents as the caller already read them (the import's dry run), else
    read here. Raises DocumentError (nothing written) or what the database says; the caller rolls back."""
    with publishing(session):
        return _publish(session, documents, how, before, chunk, progress)


def _publish(session: Session, documents: list[Document] | SeedBundle, how: Publication,
             before: Optional[dict[tuple[str, str], Optional[dict[str, Any]]]], chunk: Optional[int],
             progress: Progress) -> Published:
    is_seed = isinstance(documents, SeedBundle)
    bundle = documents if is_seed else bundle_of(session, documents)
    keys = [] if is_seed else sorted({(kind, _slug(kind, doc)) for kind, doc, _ in documents})
    if before is None and keys:
        before = _read(session, keys)
    changes = _load(session, bundle, chunk, progress, partial=not is_seed)
    # the search package reads the knowledge tables; it never writes them
    from kb.search.incremental import reindex_changes
    from kb.search.query import reindex

    done = Published(changes)
    after = _read_records(session, keys) if keys else {}
    for kind, slug in keys:
        record = after[(kind, slug)]
        done.records.append((kind, slug, record, (before or {}).get((kind, slug)), to_document(kind, record)))
    progress("index", 0, 0)
    if is_seed:
        reindex(session)  # a whole seed: every document, and the vocabulary built afresh
        note_scope(session, None)
    else:  # what the documents changed, and the documents whose text includes theirs
        changed = [(kind, record, old, new) for kind, _, record, old, new in done.records]
        reindex_changes(session, changed)
        note_scope(session, scope_of(session, changed))
    for n, (kind, slug, record, old, new) in enumerate(done.records, 1):
        if old != new or how.draft is not None:  # a draft becomes its published version even when nothing changed
            record_published(session, kind, slug, record.id, old, new, reason=how.reason, author_id=how.author_id,
                             reviewer_id=how.reviewer_id, comment=how.comment, revision=how.draft)
        if n % REPORT_EVERY == 0:
            progress("history", n, len(keys))
    if keys:
        progress("history", len(keys), len(keys))
    if changes or not is_seed:
        session.add(_audit(how, done))
    session.flush()
    return done


def _slug(kind: str, document: dict[str, Any]) -> str:
    return str(document.get("slug", ""))


def _read_records(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for kind in sorted({k for k, _ in keys}):
        found = records(session, kind, {s for k, s in keys if k == kind})
        out.update({(kind, slug): record for slug, record in found.items()})
    return out


def _read(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Optional[dict[str, Any]]]:
    found = _read_records(session, keys)
    return {key: to_document(key[0], found[key]) if key in found else None for key in keys}


def _load(session: Session, bundle: SeedBundle, chunk: Optional[int], progress: Progress,
          partial: bool = False) -> Counter:
    """Upsert through one loader; with ``chunk``, each section a chunk of entries at a time (professions whose
    parent is new in the same batch after that parent), reporting after each."""
    loader = Loader(session, partial=partial)
    if chunk is None:
        with session.no_autoflush:
            return loader.run(bundle)
    total = sum(len(entries) for entries in bundle.sections.values())
    written = 0
    progress("write", 0, total)
    for section, entries in list(bundle.sections.items()):
        ordered = _parents_first(entries) if section == "professions" else entries
        for start in range(0, len(ordered), chunk):
            part = SeedBundle()
            part.sections[section] = ordered[start:start + chunk]
            with session.no_autoflush:
                loader.run(part)
            written += len(part.sections[section])
            progress("write", written, total)
    return loader.changes


def _parents_first(entries: list[Entry]) -> list[Entry]:
    """Professions whose parent is new in the same batch come after that parent (chunks are written in order)."""
    parent = {e.data.slug: getattr(e.data, "parent", None) for e in entries}

    def depth(slug: str) -> int:
        seen: set[str] = set()
        while parent.get(slug) in parent and slug not in seen:
            seen.add(slug)
            slug = parent[slug]
        return len(seen)

    return sorted(entries, key=lambda e: depth(e.data.slug))


def _audit(how: Publication, done: Published) -> m.AuditEvent:
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(done.changes.items()))
    single = done.records[0] if len(done.records) == 1 else None
    kinds = {kind for kind, *_ in done.records}
    return m.AuditEvent(
        user_id=how.reviewer_id if how.reviewer_id is not None else how.author_id, action=how.action,
        entity_type=kinds.pop() if len(kinds) == 1 else None,
        entity_id=single[2].id if single is not None else None,
        summary=(how.summary if how.summary is not None else counts)[:2000],
        data=how.data if how.data is not None else dict(done.changes))


__all__ = ["ACTIONS", "Document", "Publication", "Published", "publish", "KINDS"]
