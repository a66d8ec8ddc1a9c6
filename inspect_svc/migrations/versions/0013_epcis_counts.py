"""epcis counts: per-shipment tally of expected, accounted-for and unexpected packs

Revision ID: 0013_epcis_counts
Revises: 0012_epcis
Create Date: 2026-12-02

Rule R18c read its counts with a query over every expected pack on each
assessment. `epcis_tally` keeps them per shipment, and `epcis_item.accounted`
marks the packs a scan has accounted for, so a scan updates only the packs its
label covers. A shipment with EPCIS data from before this revision gets its
tally the first time it is read.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_epcis_counts'
down_revision = '0012_epcis'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('epcis_tally',
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('expected_packs', sa.Integer(), nullable=False),
    sa.Column('accounted_packs', sa.Integer(), nullable=False),
    sa.Column('unexpected_packs', sa.Integer(), nullable=False),
    sa.Column('scans_through', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_epcis_tally_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('shipment_id', name=op.f('pk_epcis_tally'))
    )
    with op.batch_alter_table('epcis_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accounted', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('epcis_item', schema=None) as batch_op:
        batch_op.drop_column('accounted')
    op.drop_table('epcis_tally')
