"""knowledge_state: a token that changes with every change to published knowledge (per-process caches key on it)

Revision ID: 6a1f0c2d9e84
Revises: 9d41c7e3b8a5
Create Date: 2026-12-28 09:00:00.000000

"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op


revision = '6a1f0c2d9e84'
down_revision = '9d41c7e3b8a5'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'knowledge_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_state')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': uuid.uuid4().hex,
                            'changed_at': datetime.now(timezone.utc).replace(tzinfo=None)}])


def downgrade():
    op.drop_table('knowledge_state')
