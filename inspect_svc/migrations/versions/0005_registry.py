"""registry: drug establishment registrations, import refusals, download state

Revision ID: 0005_registry
Revises: 0004_cases
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0005_registry'
down_revision = '0004_cases'
branch_labels = None
depends_on = None


def _snapshot_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['snapshot_id'], ['reference_snapshot.id'],
        name=op.f(f'fk_{table}_snapshot_id_reference_snapshot'),
    )


def upgrade() -> None:
    op.create_table('establishment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('fei', sa.String(length=10), nullable=True),
    sa.Column('duns', sa.String(length=9), nullable=True),
    sa.Column('firm_name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('expiration_date', sa.Date(), nullable=True),
    sa.Column('operations', sa.Text(), nullable=True),
    sa.Column('registrant_name', sa.Text(), nullable=True),
    sa.Column('registrant_duns', sa.String(length=9), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    _snapshot_fk('establishment'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_establishment'))
    )
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.create_index('ix_establishment_fei', ['fei', 'snapshot_id'], unique=False)
        batch_op.create_index('ix_establishment_duns', ['duns', 'snapshot_id'], unique=False)
        batch_op.create_index('ix_establishment_name_key', ['name_key', 'snapshot_id'], unique=False)

    op.create_table('refusal_charge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('asc_id', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=True),
    sa.Column('section', sa.Text(), nullable=True),
    _snapshot_fk('refusal_charge'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusal_charge')),
    sa.UniqueConstraint('snapshot_id', 'asc_id', name=op.f('uq_refusal_charge_snapshot_id_asc_id'))
    )

    op.create_table('import_refusal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('fei', sa.String(length=10), nullable=True),
    sa.Column('firm_name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('product_code', sa.String(length=7), nullable=True),
    sa.Column('product_description', sa.Text(), nullable=True),
    sa.Column('refusal_date', sa.Date(), nullable=False),
    sa.Column('district', sa.String(length=16), nullable=True),
    sa.Column('entry_number', sa.String(length=32), nullable=True),
    sa.Column('line_number', sa.String(length=16), nullable=True),
    sa.Column('charges', sa.JSON(), nullable=False),
    _snapshot_fk('import_refusal'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_refusal'))
    )
    with op.batch_alter_table('import_refusal', schema=None) as batch_op:
        batch_op.create_index('ix_import_refusal_fei', ['fei', 'snapshot_id'], unique=False)
        batch_op.create_index('ix_import_refusal_name_key', ['name_key', 'snapshot_id'], unique=False)
        batch_op.create_index('ix_import_refusal_country', ['country', 'snapshot_id'], unique=False)
        batch_op.create_index('ix_import_refusal_product_code', ['product_code', 'snapshot_id'], unique=False)

    op.create_table('reference_download',
    sa.Column('dataset', sa.String(length=32), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('etag', sa.String(length=200), nullable=True),
    sa.Column('last_modified', sa.String(length=64), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('bytes', sa.Integer(), nullable=True),
    sa.Column('checked_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('changed_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('dataset', name=op.f('pk_reference_download'))
    )


def downgrade() -> None:
    op.drop_table('reference_download')
    with op.batch_alter_table('import_refusal', schema=None) as batch_op:
        for name in ('ix_import_refusal_product_code', 'ix_import_refusal_country',
                     'ix_import_refusal_name_key', 'ix_import_refusal_fei'):
            batch_op.drop_index(name)
    op.drop_table('import_refusal')
    op.drop_table('refusal_charge')
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        for name in ('ix_establishment_name_key', 'ix_establishment_duns', 'ix_establishment_fei'):
            batch_op.drop_index(name)
    op.drop_table('establishment')
