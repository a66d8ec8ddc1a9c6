"""cases: decisions; audit_event and decision refuse UPDATE and DELETE

Revision ID: 0004_cases
Revises: 0003_triage
Create Date: 2026-11-27

The append-only triggers stop the application (or a careless operator) from
rewriting history; someone with DDL rights can still drop them, which is
what the audit hash chain detects.
"""
from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0004_cases'
down_revision = '0003_triage'
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ('audit_event', 'decision')


def upgrade() -> None:
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('reason_codes', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('justification', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('decided_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('recommendation_at_decision', sa.String(length=8), nullable=False),
    sa.Column('risk_score_at_decision', sa.Float(), nullable=False),
    sa.Column('findings_at_decision', sa.JSON(), nullable=False),
    sa.Column('ruleset_version', sa.String(length=64), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=True),
    sa.Column('request_digest', sa.String(length=64), nullable=True),
    sa.CheckConstraint("action IN ('release', 'exam', 'detain')", name=op.f('ck_decision_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_decision_actor_id_user_account')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_decision_shipment_id_shipment')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['decision.id'], name=op.f('fk_decision_supersedes_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_decision_idempotency_key')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_decision_supersedes_id'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_shipment_id'), ['shipment_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        _create_postgresql_triggers()
    else:
        _create_sqlite_triggers()


def _create_postgresql_triggers() -> None:
    op.execute(
        """
        CREATE FUNCTION refuse_append_only_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table in APPEND_ONLY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()"
        )


def _create_sqlite_triggers() -> None:
    for table in APPEND_ONLY_TABLES:
        for operation in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS refuse_append_only_change()")
    else:
        for table in APPEND_ONLY_TABLES:
            for operation in ('update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_decision_decided_at'))

    op.drop_table('decision')
