"""entry: entry data on shipments and declared lines; related entries linked by key

Revision ID: 0011_entry
Revises: 0010_recall_scope
Create Date: 2026-12-02

Entry type, transport document, related entries and arrival date on the
shipment, FDA line data on declared lines (product code, processing and
intended-use codes, affirmations, HTS, value, production country). A
declared line's NDC becomes optional (a non-drug line has none). The
normalised entry and transport keys, and the `related_entry` table, are
indexed so that finding the entries linked to a shipment costs index look-ups.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_entry'
down_revision = '0010_recall_scope'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_type', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('transport_document', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('related_entries', sa.JSON(), nullable=False, server_default='[]')
        )
        batch_op.add_column(sa.Column('arrival_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('entry_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('transport_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_shipment_entry_key'), ['entry_key'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_shipment_transport_key'), ['transport_key'], unique=False
        )
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.alter_column('related_entries', server_default=None)

    op.create_table('related_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('entry_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_related_entry_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_entry')),
    sa.UniqueConstraint('shipment_id', 'entry_key', name=op.f('uq_related_entry_shipment_id_entry_key'))
    )
    with op.batch_alter_table('related_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_entry_entry_key'), ['entry_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_related_entry_shipment_id'), ['shipment_id'], unique=False)

    with op.batch_alter_table('declared_line', schema=None) as batch_op:
        batch_op.alter_column('ndc', existing_type=sa.String(length=20), nullable=True)
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('fda_product_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('processing_code', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('intended_use_code', sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column('affirmations', sa.JSON(), nullable=False, server_default='[]')
        )
        batch_op.add_column(sa.Column('hts_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('value_usd', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('production_country', sa.String(length=2), nullable=True))
    with op.batch_alter_table('declared_line', schema=None) as batch_op:
        batch_op.alter_column('affirmations', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('declared_line', schema=None) as batch_op:
        batch_op.drop_column('production_country')
        batch_op.drop_column('value_usd')
        batch_op.drop_column('hts_code')
        batch_op.drop_column('affirmations')
        batch_op.drop_column('intended_use_code')
        batch_op.drop_column('processing_code')
        batch_op.drop_column('fda_product_code')
        batch_op.drop_column('description')
        batch_op.alter_column('ndc', existing_type=sa.String(length=20), nullable=False)

    with op.batch_alter_table('related_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_entry_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_related_entry_entry_key'))
    op.drop_table('related_entry')

    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_transport_key'))
        batch_op.drop_index(batch_op.f('ix_shipment_entry_key'))
        batch_op.drop_column('transport_key')
        batch_op.drop_column('entry_key')
        batch_op.drop_column('arrival_date')
        batch_op.drop_column('related_entries')
        batch_op.drop_column('transport_document')
        batch_op.drop_column('entry_type')
