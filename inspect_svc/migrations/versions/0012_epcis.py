"""epcis: the shipper's expected contents (pallet -> case -> pack) and scanned SSCCs

Revision ID: 0012_epcis
Revises: 0011_entry
Create Date: 2026-12-02

One `epcis_item` row per serialised item the shipper's EPCIS data names, keyed
by shipment and GS1 key, indexed by parent, by GTIN + serial and by SSCC so
that contents and triage cost index look-ups. Scans gain the SSCC of a
logistic label.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_epcis'
down_revision = '0011_entry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('epcis_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=6), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('serial', sa.String(length=20), nullable=True),
    sa.Column('sscc', sa.String(length=18), nullable=True),
    sa.Column('ndc10', sa.String(length=10), nullable=True),
    sa.Column('lot', sa.String(length=20), nullable=True),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('parent_key', sa.String(length=64), nullable=True),
    sa.Column('shipped', sa.Boolean(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('pack', 'case', 'pallet')", name=op.f('ck_epcis_item_level')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_epcis_item_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_epcis_item')),
    sa.UniqueConstraint('shipment_id', 'key', name=op.f('uq_epcis_item_shipment_id_key'))
    )
    with op.batch_alter_table('epcis_item', schema=None) as batch_op:
        batch_op.create_index('ix_epcis_item_shipment_parent', ['shipment_id', 'parent_key'], unique=False)
        batch_op.create_index('ix_epcis_item_shipment_gtin_serial', ['shipment_id', 'gtin', 'serial'], unique=False)
        batch_op.create_index('ix_epcis_item_shipment_sscc', ['shipment_id', 'sscc'], unique=False)

    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sscc', sa.String(length=18), nullable=True))
        batch_op.create_index(batch_op.f('ix_scan_sscc'), ['sscc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_sscc'))
        batch_op.drop_column('sscc')
    with op.batch_alter_table('epcis_item', schema=None) as batch_op:
        batch_op.drop_index('ix_epcis_item_shipment_sscc')
        batch_op.drop_index('ix_epcis_item_shipment_gtin_serial')
        batch_op.drop_index('ix_epcis_item_shipment_parent')
    op.drop_table('epcis_item')
