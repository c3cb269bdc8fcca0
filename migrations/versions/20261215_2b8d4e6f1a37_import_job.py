"""import_job: import jobs live in the database, not in the instance folder (several app servers share them)

Revision ID: 2b8d4e6f1a37
Revises: 7c3e1b9a2f45
Create Date: 2026-12-15 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '2b8d4e6f1a37'
down_revision = '7c3e1b9a2f45'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_job',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('filename', sa.String(length=300), nullable=False),
        sa.Column('format', sa.String(length=10), nullable=False),
        sa.Column('upload', sa.LargeBinary(), nullable=True),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('plan', sa.JSON(), nullable=False),
        sa.Column('commit_claimed', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_import_job_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
    )
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_job_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_job_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_job_created_at'))
        batch_op.drop_index(batch_op.f('ix_import_job_user_id'))
    op.drop_table('import_job')
