"""hardening: a version on plan items (no lost edits), a session generation per user (sessions that end), the
number of lines of each source report (citations checked against it in forms and imports)

Revision ID: 3d23900fd2ba
Revises: e97911960b09
Create Date: 2026-12-31 04:45:45.358279

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d23900fd2ba'
down_revision = 'e97911960b09'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shift_plan_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default=sa.text('0'), nullable=False))

    with op.batch_alter_table('source_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_count', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('source_document', schema=None) as batch_op:
        batch_op.drop_column('line_count')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

    with op.batch_alter_table('shift_plan_item', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_at')
        batch_op.drop_column('version_id')

