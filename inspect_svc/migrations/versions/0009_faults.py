"""faults: scan.device_flags (what the scanner noticed while reading) and service_heartbeat

Revision ID: 0009_faults
Revises: 0008_assessments
Create Date: 2026-12-02

`service_heartbeat` holds one row that the readiness probe rewrites and
commits, so a database that cannot take writes (full disk, read-only) is
reported as not ready.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0009_faults'
down_revision = '0008_assessments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    heartbeat = op.create_table('service_heartbeat',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('beat_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_heartbeat'))
    )
    op.bulk_insert(heartbeat, [{'id': 1, 'beat_at': datetime.now(UTC)}])
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('device_flags', sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_column('device_flags')
    op.drop_table('service_heartbeat')
