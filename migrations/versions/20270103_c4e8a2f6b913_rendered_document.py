"""rendered_document: PDFs rendered once per (document, context, language, knowledge token), shared by every app
server (issue 20, security review M1)

Revision ID: c4e8a2f6b913
Revises: 8b3d5f7a1c64
Create Date: 2027-01-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f6b913'
down_revision = '8b3d5f7a1c64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rendered_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_document')),
    sa.UniqueConstraint('key', name=op.f('uq_rendered_document_key'))
    )
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_document_token'), ['token'], unique=False)
        batch_op.create_index(batch_op.f('ix_rendered_document_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_document_created_at'))
        batch_op.drop_index(batch_op.f('ix_rendered_document_token'))
    op.drop_table('rendered_document')
