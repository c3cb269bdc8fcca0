"""knowledge_change: the steps of the knowledge token and the tasks each touched, so kept values are brought up to
date for those tasks only (issue 20, part 3)

Revision ID: d7a3e1b5c920
Revises: c4e8a2f6b913
Create Date: 2027-01-04 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a3e1b5c920'
down_revision = 'c4e8a2f6b913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('knowledge_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('previous', sa.String(length=32), nullable=False),
    sa.Column('kinds', sa.Text(), nullable=False),
    sa.Column('tasks', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_change')),
    sa.UniqueConstraint('token', name=op.f('uq_knowledge_change_token'))
    )
    with op.batch_alter_table('knowledge_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('knowledge_state', schema=None) as batch_op:
        batch_op.drop_column('previous')
    op.drop_table('knowledge_change')
