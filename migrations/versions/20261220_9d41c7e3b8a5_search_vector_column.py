"""search_document.search_vector: the weighted tsvector stored (PostgreSQL), so ranking does not rebuild it per row

ts_rank needs the document's tsvector; with only an expression index PostgreSQL recomputed to_tsvector over four
text columns for every matching row, which made a common word cost hundreds of milliseconds on a 50,000-task
catalogue (docs/benchmark.md). A stored generated column is computed once on write; the GIN index moves onto it.
SQLite (FTS5) is unchanged.

Revision ID: 9d41c7e3b8a5
Revises: 2b8d4e6f1a37
Create Date: 2026-12-20 09:00:00.000000

"""
from alembic import op


revision = '9d41c7e3b8a5'
down_revision = '2b8d4e6f1a37'
branch_labels = None
depends_on = None

# The expression of revision 5e2a9c4d7b13, kept in step with kb/search/backend.py.
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, terms_tokens), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, related_tokens), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_tokens), 'D'))"
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")
    op.execute(f"ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {PG_VECTOR} STORED")
    op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")
    op.execute("ALTER TABLE search_document DROP COLUMN search_vector")
    op.execute(f"CREATE INDEX ix_search_document_tsv ON search_document USING gin ({PG_VECTOR})")
