"""revision.lock_version (optimistic locking of drafts) and an index to find a record's revisions by slug

Revision ID: 7c3e1b9a2f45
Revises: 5e2a9c4d7b13
Create Date: 2026-12-10 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '7c3e1b9a2f45'
down_revision = '5e2a9c4d7b13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.create_index('ix_revision_entity_slug', ['entity_type', 'entity_slug', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index('ix_revision_entity_slug')
        batch_op.drop_column('lock_version')
