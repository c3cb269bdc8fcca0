"""search_document: analysed tokens for Danish search, with FTS5 (SQLite) or a GIN tsvector index (PostgreSQL)

Revision ID: 5e2a9c4d7b13
Revises: 4f766a51765a
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '5e2a9c4d7b13'
down_revision = '4f766a51765a'
branch_labels = None
depends_on = None

# Kept in step with kb/search/backend.py (the query must use the very expression the GIN index is built on).
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, terms_tokens), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, related_tokens), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body_tokens), 'D'))"
)
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_tokens, terms_tokens, related_tokens, body_tokens, "
    "content='search_document', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
)


def upgrade():
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=True),
    sa.Column('title_tokens', sa.Text(), nullable=False),
    sa.Column('terms_tokens', sa.Text(), nullable=False),
    sa.Column('related_tokens', sa.Text(), nullable=False),
    sa.Column('body_tokens', sa.Text(), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('task', 'profession', 'competence', 'provision')",
                       name=op.f('ck_search_document_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('kind', 'ref_id', name='uq_search_document_kind_ref_id')
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_generation'), ['generation'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute(SQLITE_FTS)
    elif dialect == 'postgresql':
        op.execute(f"CREATE INDEX ix_search_document_tsv ON search_document USING gin ({PG_VECTOR})")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_document_generation'))

    op.drop_table('search_document')
