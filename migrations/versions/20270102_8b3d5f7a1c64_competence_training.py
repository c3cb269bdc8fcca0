"""competence training: how a group that lacks a competence gains it (oplæring, kursus, uddannelse), the education
level and basis it builds on, and citations for it (issue 19)

Revision ID: 8b3d5f7a1c64
Revises: 5a1f3c2e9b47
Create Date: 2027-01-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b3d5f7a1c64'
down_revision = '5a1f3c2e9b47'
branch_labels = None
depends_on = None

OWNERS = ("task_id", "profession_id", "evidence_id", "rule_id", "education_id", "shortage_id")


def _one_owner(owners):
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in owners) + " = 1"


def upgrade():
    with op.batch_alter_table('competence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('training_effort', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('training_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('training_min_level', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))
        batch_op.add_column(sa.Column('training_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(
            'training_effort', "training_effort IS NULL OR training_effort IN ('oplæring', 'kursus', 'uddannelse')")
        batch_op.create_check_constraint('training_hours', 'training_hours IS NULL OR training_hours >= 0')
        batch_op.create_check_constraint('training_min_level',
                                         'training_min_level >= 0 AND training_min_level <= 6')

    op.create_table('competence_basis',
    sa.Column('competence_id', sa.Integer(), nullable=False),
    sa.Column('basis_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['basis_id'], ['competence.id'], name=op.f('fk_competence_basis_basis_id_competence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['competence_id'], ['competence.id'], name=op.f('fk_competence_basis_competence_id_competence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('competence_id', 'basis_id', name=op.f('pk_competence_basis'))
    )
    with op.batch_alter_table('competence_basis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_basis_basis_id'), ['basis_id'], unique=False)

    with op.batch_alter_table('source_citation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competence_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_source_citation_competence_id'), ['competence_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_source_citation_competence_id_competence'), 'competence',
                                    ['competence_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_source_citation_one_owner'), type_='check')
        batch_op.create_check_constraint('one_owner', _one_owner(OWNERS + ("competence_id",)))


def downgrade():
    op.execute("DELETE FROM source_citation WHERE competence_id IS NOT NULL")
    with op.batch_alter_table('source_citation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_source_citation_one_owner'), type_='check')
        batch_op.create_check_constraint('one_owner', _one_owner(OWNERS))
        batch_op.drop_constraint(batch_op.f('fk_source_citation_competence_id_competence'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_source_citation_competence_id'))
        batch_op.drop_column('competence_id')

    with op.batch_alter_table('competence_basis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_basis_basis_id'))
    op.drop_table('competence_basis')

    with op.batch_alter_table('competence', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_competence_training_min_level'), type_='check')
        batch_op.drop_constraint(op.f('ck_competence_training_hours'), type_='check')
        batch_op.drop_constraint(op.f('ck_competence_training_effort'), type_='check')
        batch_op.drop_column('training_note')
        batch_op.drop_column('training_min_level')
        batch_op.drop_column('training_hours')
        batch_op.drop_column('training_effort')
