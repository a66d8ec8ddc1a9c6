"""recall scope: "within expiry", distribution period and geography, read at load time

Revision ID: 0010_recall_scope
Revises: 0009_faults
Create Date: 2026-12-02

An "all lots" recall is bounded by what its text says ("within expiry",
"distributed between ...", "expiry up to ...", "distributed in Zone IV"); the loader stores those
bounds so that R13 compares them with a pack's dates without reparsing text.
A loaded snapshot keeps the defaults (no bounds) until recalls are reloaded.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_recall_scope'
down_revision = '0009_faults'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recall') as batch:
        batch.add_column(sa.Column('distribution_pattern', sa.Text(), nullable=True))
        batch.add_column(sa.Column(
            'within_expiry', sa.Boolean(), nullable=False, server_default=sa.false()
        ))
        batch.add_column(sa.Column('distributed_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('distributed_until', sa.Date(), nullable=True))
        batch.add_column(sa.Column(
            'distribution_scope', sa.String(length=8), nullable=False, server_default='unknown'
        ))
        batch.add_column(sa.Column('distribution_countries', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('expiry_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('expiry_until', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('recall') as batch:
        for column in (
            'expiry_until',
            'expiry_from',
            'distribution_countries',
            'distribution_scope',
            'distributed_until',
            'distributed_from',
            'within_expiry',
            'distribution_pattern',
        ):
            batch.drop_column(column)
