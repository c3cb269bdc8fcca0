"""Narrow covering indexes for full-text hits: search_document (id, kind, ref_id, slug, category), task (id, status)

SQLite joins each FTS5 hit to its document by rowid; the table rows are wide (four token columns and the surface
words), so a common word's thousands of hits read thousands of wide rows. The query now reads what it needs from
this index instead (INDEXED BY in kb/search/backend.py), and whether the task is published from (id, status).
PostgreSQL gets the same indexes; they are small.

Revision ID: 3c5e7a9b1d20
Revises: 6a1f0c2d9e84
Create Date: 2026-12-29 09:00:00.000000

"""
from alembic import op


revision = '3c5e7a9b1d20'
down_revision = '6a1f0c2d9e84'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_search_document_hit', 'search_document', ['id', 'kind', 'ref_id', 'slug', 'category'])
    op.create_index('ix_task_id_status', 'task', ['id', 'status'])


def downgrade():
    op.drop_index('ix_task_id_status', table_name='task')
    op.drop_index('ix_search_document_hit', table_name='search_document')
