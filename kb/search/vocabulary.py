"""The index's vocabulary as counts in the database (search_vocabulary), kept in step with search_document.

Why: query analysis needs every stem with its document frequency and every surface word of the corpus
(kb.search.analyser.Vocabulary). Working that out by reading every document's tokens took 1.2 s on a 50,000-task
catalogue, after every publication, in every app process. The counts change with the documents instead: the full
rebuild writes them all, the incremental reindex (kb.search.incremental) takes the replaced documents' words off and
adds the new ones', in the same transaction. tests/integration/test_search_incremental.py holds them equal to a count
over the documents.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb.models.search import SearchVocabulary

STEM, SURFACE = "stem", "surface"
TOKEN_COLUMNS = ("title_tokens", "terms_tokens", "related_tokens", "body_tokens")
_CHUNK = 2_000

Counts = Counter  # (kind, word) → documents


def counts_of(rows: Iterable[Mapping[str, str]]) -> Counts:
    """How many of these search_document rows hold each stem and surface word (each document counts once)."""
    found: Counts = Counter()
    for row in rows:
        found.update((SURFACE, w) for w in set(row["words"].split()))
        found.update((STEM, t) for t in set(" ".join(row[c] for c in TOKEN_COLUMNS).split()))
    return found


def replace_all(session: Session, counts: Counts) -> None:
    """The vocabulary of a fully rebuilt index."""
    session.execute(sa.delete(SearchVocabulary))
    _insert(session, counts)


def change(session: Session, removed: Counts, added: Counts) -> None:
    """Take the replaced documents' counts off and add the new documents' (words left in no document go)."""
    delta = Counter(added)
    delta.subtract(removed)
    delta = {k: v for k, v in delta.items() if v}
    if not delta:
        return
    table = SearchVocabulary.__table__
    known: dict[tuple[str, str], int] = {}
    for kind in (STEM, SURFACE):
        words = sorted(w for k, w in delta if k == kind)
        for start in range(0, len(words), _CHUNK):
            known.update(((kind, w), n) for w, n in session.execute(
                sa.select(table.c.word, table.c.documents).where(
                    table.c.kind == kind, table.c.word.in_(words[start:start + _CHUNK]))))
    gone = [{"k": k, "w": w} for (k, w), d in delta.items() if (k, w) in known and known[(k, w)] + d <= 0]
    moved = [{"k": k, "w": w, "n": known[(k, w)] + d} for (k, w), d in delta.items()
             if (k, w) in known and known[(k, w)] + d > 0]
    new = Counter({key: d for key, d in delta.items() if key not in known and d > 0})
    where = sa.and_(table.c.kind == sa.bindparam("k"), table.c.word == sa.bindparam("w"))
    if gone:
        session.execute(sa.delete(table).where(where), gone)
    if moved:
        session.execute(sa.update(table).where(where).values(documents=sa.bindparam("n")), moved)
    _insert(session, new)


def _insert(session: Session, counts: Counts) -> None:
    rows = [{"kind": k, "word": w, "documents": n} for (k, w), n in sorted(counts.items()) if n > 0]
    for start in range(0, len(rows), 10 * _CHUNK):
        session.execute(sa.insert(SearchVocabulary), rows[start:start + 10 * _CHUNK])


def surface_words_without(session: Session, removed: Counts) -> frozenset[str]:
    """The index's surface words once the documents counted in ``removed`` are gone (what new texts' compounds are
    split against)."""
    table = SearchVocabulary.__table__
    counts = dict(session.execute(sa.select(table.c.word, table.c.documents).where(table.c.kind == SURFACE)).all())
    return frozenset(w for w, n in counts.items() if n > removed.get((SURFACE, w), 0))


def load(session: Session) -> tuple[dict[str, int], frozenset[str]]:
    """(stem → documents, surface words) of the committed index."""
    table = SearchVocabulary.__table__
    df: dict[str, int] = {}
    surface: list[str] = []
    for kind, word, n in session.execute(sa.select(table.c.kind, table.c.word, table.c.documents)):
        if kind == STEM:
            df[word] = n
        else:
            surface.append(word)
    return df, frozenset(surface)
