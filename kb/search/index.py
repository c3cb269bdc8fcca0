"""Build the search index (search_document) from the database, and its vocabulary (cached per knowledge version)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kb import models as m
from kb.knowledge_state import cached, mark_changed
from kb.models.search import SearchDocument
from kb.search import backend, vocabulary
from kb.search.analyser import STOPWORDS, SynonymTable, Vocabulary, analyse_parts, tokens, words

FIELDS = ("title", "terms", "related", "body")


@dataclass(frozen=True)
class Source:
    """The texts of one document before analysis, per weighted field."""

    kind: str
    ref_id: int
    slug: str
    title: str
    category: str | None
    texts: dict[str, list[str]]


def _names(p: m.Profession) -> list[str]:
    return [p.name] + ([p.abbreviation] if p.abbreviation else [])


def _in(column, ids: set[int] | None):
    return sa.true() if ids is None else column.in_(sorted(ids))


def sources(session: Session, only: dict[str, set[int]] | None = None) -> list[Source]:
    """Every indexed record's texts, or with ``only`` (kind → record ids) just those records'."""
    def wanted(kind: str) -> set[int] | None:
        return None if only is None else only.get(kind, set())

    out: list[Source] = []
    if only is None or wanted("task"):
        tasks = session.scalars(sa.select(m.Task).where(m.Task.status == "published", _in(m.Task.id, wanted("task")))
                                .options(selectinload(m.Task.terms), selectinload(m.Task.holders),
                                         selectinload(m.Task.requirements).selectinload(m.TaskRequirement.competence))
                                .order_by(m.Task.id))
        for t in tasks:
            related = [n for h in t.holders for n in _names(h)]
            related += [r.competence.name for r in t.requirements if r.level == "required"]
            out.append(Source("task", t.id, t.slug, t.title, t.category, {
                "title": [t.title], "terms": [x.term for x in t.terms], "related": related,
                "body": [t.description or "", t.title_en or ""]}))
    if only is None or wanted("profession"):
        professions = sa.select(m.Profession).where(_in(m.Profession.id, wanted("profession"))) \
            .options(selectinload(m.Profession.parent)).order_by(m.Profession.id)
        for p in session.scalars(professions):
            out.append(Source("profession", p.id, p.slug, p.name, None, {
                "title": [p.name], "terms": [p.abbreviation or "", p.name_en or "", p.education_name or ""],
                "related": [p.parent.name] if p.parent else [], "body": [p.description or ""]}))
    if only is None or wanted("competence"):
        for c in session.scalars(sa.select(m.Competence).where(_in(m.Competence.id, wanted("competence")))
                                 .order_by(m.Competence.id)):
            out.append(Source("competence", c.id, c.slug, c.name, None, {
                "title": [c.name], "terms": [c.name_en or ""], "related": [], "body": [c.description or ""]}))
    if only is None or wanted("provision"):
        for p in session.scalars(sa.select(m.Provision).where(_in(m.Provision.id, wanted("provision")))
                                 .options(selectinload(m.Provision.act)).order_by(m.Provision.id)):
            out.append(Source("provision", p.id, p.slug, f"{p.act.short_name} {p.reference}: {p.title}", None, {
                "title": [p.title], "terms": [p.act.short_name, p.reference], "related": [p.act.title],
                "body": [p.summary or ""]}))
    return out


def synonym_table(session: Session) -> SynonymTable:
    rows = session.execute(sa.select(m.Synonym.term, m.Synonym.equivalents).order_by(m.Synonym.term)).all()
    return SynonymTable.from_entries((term, equivalents or []) for term, equivalents in rows)


def reindex(session: Session) -> int:
    """Rebuild search_document (and the engine's index) from the live tables; returns the number of documents.
    Runs inside the caller's transaction and does not commit."""
    found = sources(session)
    corpus: Counter = Counter()
    surface: set[str] = set()
    for s in found:
        text = _text(s)
        corpus.update(set(tokens(text)))
        surface.update(w for w in words(text) if w not in STOPWORDS)
    generation = (session.scalar(sa.select(sa.func.max(SearchDocument.generation))) or 0) + 1
    session.execute(sa.delete(SearchDocument))
    rows = rows_for(found, Vocabulary(corpus, surface), synonym_table(session), generation)
    if rows:
        session.execute(sa.insert(SearchDocument), rows)
    vocabulary.replace_all(session, vocabulary.counts_of(rows))
    backend.rebuild(session)
    mark_changed(session)  # a reindex on its own (no knowledge row changed) still needs a new vocabulary version
    return len(rows)


def _text(s: Source) -> str:
    return " ".join(t for texts in s.texts.values() for t in texts)


def rows_for(sources: list[Source], vocabulary: Vocabulary | frozenset[str], synonyms: SynonymTable,
             generation: int) -> list[dict]:
    """search_document rows for these sources, compounds split against ``vocabulary`` (its surface words)."""
    rows = []
    for s in sources:
        fields, extra = {}, []
        for name in FIELDS:
            stems, parts = analyse_parts(" \n ".join(s.texts[name]), vocabulary)
            fields[f"{name}_tokens"] = stems
            extra += parts + synonyms.expand(stems)
        fields["body_tokens"] = fields["body_tokens"] + extra
        rows.append(dict(kind=s.kind, ref_id=s.ref_id, slug=s.slug, title=s.title[:400], category=s.category,
                         generation=generation, words=" ".join(sorted(surface_words(s))),
                         **{k: " ".join(v) for k, v in fields.items()}))
    return rows


def surface_words(s: Source) -> set[str]:
    return {w for w in words(_text(s)) if w not in STOPWORDS}


@dataclass(frozen=True)
class Snapshot:
    """What query analysis needs from one database's index: its vocabulary and synonym table."""

    vocabulary: Vocabulary
    synonyms: SynonymTable


def snapshot(session: Session) -> Snapshot:
    """The vocabulary of the committed index, kept per knowledge version like every derived cache (kb/caches.py,
    family search.vocabulary): the index is rebuilt in the transaction that changes the knowledge it indexes, so
    the token that transaction writes is the index's version too — a rolled-back reindex or a restore can never
    leave an old vocabulary looking current."""
    return cached(session, "search.vocabulary", "", lambda: _build_snapshot(session))


def _build_snapshot(session: Session) -> Snapshot:
    df, surface = vocabulary.load(session)  # the counts kept with the index, not a pass over every document
    return Snapshot(Vocabulary(df, surface), synonym_table(session))
