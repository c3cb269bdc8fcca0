"""document format: the version of the document shape each revision (draft or published) holds

Revision ID: 5a1f3c2e9b47
Revises: 3d23900fd2ba
Create Date: 2027-01-01 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1f3c2e9b47'
down_revision = '3d23900fd2ba'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_format', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('data_format')
