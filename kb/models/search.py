"""Search vocabulary kept as data: synonyms and abbreviations (SSA ↔ social- og sundhedsassistent, PVK, …)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, one_of
from kb.models.enums import TERM_KINDS


class Synonym(Base):
    __tablename__ = "synonym"
    __table_args__ = (one_of("kind", TERM_KINDS, "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(200), unique=True, index=True)
    equivalents: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    kind: Mapped[str] = mapped_column(sa.String(20), default="synonym")


SEARCH_KINDS = ("task", "profession", "competence", "provision")


class SearchDocument(Base):
    """One searchable thing (a task, profession, competence or provision) as analysed tokens, rebuilt by
    kb.search.query.reindex(). The *_tokens columns hold space-separated stems from kb.search.analyser, weighted
    title > terms > related > body (compound parts and synonym expansions go to body). SQLite indexes them with
    FTS5 (search_fts), PostgreSQL with a GIN index on their weighted tsvector; the migration creates both."""

    __tablename__ = "search_document"
    __table_args__ = (
        one_of("kind", SEARCH_KINDS, "kind"),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_document_kind_ref_id"),
        # What a full-text hit needs from its document, narrow: SQLite looks every hit up through this index
        # instead of the wide table row (kb/search/backend.py; migration 3c5e7a9b1d20).
        sa.Index("ix_search_document_hit", "id", "kind", "ref_id", "slug", "category"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    ref_id: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(400), default="")
    category: Mapped[str | None] = mapped_column(sa.String(20))
    title_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    terms_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    related_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    body_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    words: Mapped[str] = mapped_column(sa.Text, default="")  # distinct surface words, for compound splitting
    generation: Mapped[int] = mapped_column(default=1, index=True)


class SearchVocabulary(Base):
    """The index's vocabulary as counts: for each stem (``kind`` "stem") the number of documents whose tokens hold
    it, and for each surface word ("surface") the number whose words hold it — what query analysis corrects,
    completes and splits compounds against (kb/search/vocabulary.py). Kept in step with search_document in the same
    transaction, by the full rebuild and by the incremental reindex, so a process reads a few thousand counts instead
    of analysing every document's tokens after each publication (issue 20, part 1)."""

    __tablename__ = "search_vocabulary"
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    word: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    documents: Mapped[int] = mapped_column()
