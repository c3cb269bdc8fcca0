"""law scope: organisations (scope of organisational rules), official verification source and date, provision scope
and complexity, rules for all professions but some, act validity, report URLs

Revision ID: e97911960b09
Revises: 3c5e7a9b1d20
Create Date: 2026-12-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e97911960b09'
down_revision = '3c5e7a9b1d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.CheckConstraint("kind IN ('region', 'municipality')", name=op.f('ck_organisation_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['organisation.id'], name=op.f('fk_organisation_parent_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_slug'), ['slug'], unique=True)

    op.create_table('rule_exception',
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('profession_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profession_id'], ['profession.id'], name=op.f('fk_rule_exception_profession_id_profession'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['rule.id'], name=op.f('fk_rule_exception_rule_id_rule'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rule_id', 'profession_id', name=op.f('pk_rule_exception'))
    )
    with op.batch_alter_table('rule_exception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_exception_profession_id'), ['profession_id'], unique=False)

    with op.batch_alter_table('legal_act', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('verified_source', sa.String(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('verified_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_legal_act_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            'validity', 'valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to')

    with op.batch_alter_table('provision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('complexity', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_source', sa.String(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('verified_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_provision_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            'complexity', "complexity IS NULL OR complexity IN ('uncomplicated', 'complex')")

    with op.batch_alter_table('rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.alter_column('profession_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_rule_organisation_id_organisation'), 'organisation', ['organisation_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_constraint(batch_op.f('ck_rule_effect'), type_='check')
        batch_op.create_check_constraint('effect', "effect IN ('allow', 'deny', 'conditions', 'delegation')")

    with op.batch_alter_table('source_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('url', sa.String(length=1000), server_default='', nullable=False))



def downgrade():
    # A rule for all professions but some has no place in the old schema (one profession per rule).
    op.execute('DELETE FROM rule WHERE profession_id IS NULL')
    op.execute("DELETE FROM rule WHERE effect = 'delegation'")
    with op.batch_alter_table('source_document', schema=None) as batch_op:
        batch_op.drop_column('url')

    with op.batch_alter_table('rule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rule_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_rule_effect'), type_='check')
        batch_op.create_check_constraint('effect', "effect IN ('allow', 'deny', 'conditions')")
        batch_op.alter_column('profession_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('provision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_provision_complexity'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_provision_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_column('verified_on')
        batch_op.drop_column('verified_source')
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('complexity')
        batch_op.drop_column('scope')

    with op.batch_alter_table('legal_act', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_legal_act_validity'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_legal_act_organisation_id_organisation'), type_='foreignkey')
        batch_op.drop_column('verified_on')
        batch_op.drop_column('verified_source')
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('rule_exception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_exception_profession_id'))

    op.drop_table('rule_exception')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_slug'))

    op.drop_table('organisation')
