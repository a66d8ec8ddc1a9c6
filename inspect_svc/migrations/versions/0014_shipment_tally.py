"""counts kept per scan: shipment tallies (lots, serial runs), rule weights, lot expiries

Revision ID: 0014_shipment_tally
Revises: 0013_epcis_counts
Create Date: 2026-12-02

Shipment rules read these few rows instead of every scan of the shipment
(docs/rules.md, "Shipment tallies"); the heaviest unit finding per rule and
the expiries seen per lot are kept likewise, and the shipment's own findings
get an index. Existing scans and findings are counted in.
"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa

from inspect_core.interpret import Interpretation
from rules.context import ScanSummary
from rules.tally import count_lots, longest_of, serial_runs


revision = '0014_shipment_tally'
down_revision = '0013_epcis_counts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    lots = op.create_table('shipment_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=48), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('ndc10', sa.String(length=10), nullable=True),
    sa.Column('lot', sa.String(length=20), nullable=True),
    sa.Column('scans', sa.Integer(), nullable=False),
    sa.Column('packs', sa.Integer(), nullable=False),
    sa.Column('unserialised', sa.Integer(), nullable=False),
    sa.Column('first_scan_id', sa.Integer(), nullable=False),
    sa.Column('last_scan_id', sa.Integer(), nullable=False),
    sa.Column('run_prefix', sa.String(length=20), nullable=True),
    sa.Column('run_width', sa.Integer(), nullable=True),
    sa.Column('run_first', sa.BigInteger(), nullable=True),
    sa.Column('run_last', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_shipment_lot_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lot')),
    sa.UniqueConstraint('shipment_id', 'key', name=op.f('uq_shipment_lot_shipment_id_key'))
    )
    runs = op.create_table('shipment_serial_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('first', sa.BigInteger(), nullable=False),
    sa.Column('last', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['shipment_lot.id'], name=op.f('fk_shipment_serial_run_lot_id_shipment_lot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_serial_run'))
    )
    with op.batch_alter_table('shipment_serial_run', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_serial_run_first', ['lot_id', 'prefix', 'width', 'first'], unique=False)
        batch_op.create_index('ix_shipment_serial_run_last', ['lot_id', 'prefix', 'width', 'last'], unique=False)
    op.create_table('shipment_rule_weight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_shipment_rule_weight_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_rule_weight')),
    sa.UniqueConstraint('shipment_id', 'rule', 'severity', name=op.f('uq_shipment_rule_weight_shipment_id_rule_severity'))
    )
    op.create_table('lot_expiry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=False),
    sa.Column('lot', sa.String(length=20), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('first_scan_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_expiry')),
    sa.UniqueConstraint('gtin', 'lot', 'expiry', name=op.f('uq_lot_expiry_gtin_lot_expiry'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index('ix_finding_shipment_scan', ['shipment_id', 'scan_id'], unique=False)
    op.execute(
        "INSERT INTO shipment_rule_weight (shipment_id, rule, severity, weight) "
        "SELECT shipment_id, rule, severity, max(weight) FROM finding "
        "WHERE scan_id IS NOT NULL GROUP BY shipment_id, rule, severity"
    )
    op.execute(
        "INSERT INTO lot_expiry (gtin, lot, expiry, first_scan_id) "
        "SELECT gtin, lot, expiry, min(id) FROM scan "
        "WHERE gtin IS NOT NULL AND lot IS NOT NULL AND expiry IS NOT NULL "
        "GROUP BY gtin, lot, expiry"
    )
    _count_existing_scans(lots, runs)


def _count_existing_scans(lots: sa.Table, runs: sa.Table) -> None:
    connection = op.get_bind()
    scan = sa.table(
        'scan', *(sa.column(name) for name in ('id', 'shipment_id', 'raw', 'gtin', 'ndc10', 'lot', 'serial'))
    )
    by_shipment: dict[int, list[ScanSummary]] = defaultdict(list)
    for row in connection.execute(sa.select(scan).order_by(scan.c.id)):
        found = Interpretation(raw=row.raw, gtin=row.gtin, ndc10=row.ndc10, lot=row.lot, serial=row.serial)
        by_shipment[row.shipment_id].append(ScanSummary(row.id, found, None))
    for shipment_id, summaries in by_shipment.items():
        counted, serials = count_lots(summaries)
        for key, lot in counted.items():
            found = lot.first.interpretation
            lot_runs = serial_runs(serials.get(key, ()))
            best = longest_of(lot_runs)
            lot_id = connection.execute(
                lots.insert().values(
                    shipment_id=shipment_id, key=key, gtin=found.gtin, ndc10=found.ndc10, lot=found.lot,
                    scans=lot.scans, packs=lot.packs, unserialised=lot.unserialised,
                    first_scan_id=lot.first.scan_id, last_scan_id=lot.last_scan_id,
                    run_prefix=best.prefix if best else None, run_width=best.width if best else None,
                    run_first=best.first if best else None, run_last=best.last if best else None,
                ).returning(lots.c.id)
            ).scalar_one()
            if lot_runs:
                connection.execute(
                    runs.insert(),
                    [{'lot_id': lot_id, 'prefix': r.prefix, 'width': r.width, 'first': r.first, 'last': r.last} for r in lot_runs],
                )


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index('ix_finding_shipment_scan')
    op.drop_table('lot_expiry')
    op.drop_table('shipment_rule_weight')
    with op.batch_alter_table('shipment_serial_run', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_serial_run_last')
        batch_op.drop_index('ix_shipment_serial_run_first')
    op.drop_table('shipment_serial_run')
    op.drop_table('shipment_lot')
