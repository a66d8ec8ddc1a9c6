"""assessments: each run of the shipment rules kept; decisions name the one they were made on

Revision ID: 0008_assessments
Revises: 0007_sessions
Create Date: 2026-12-02

`assessment` refuses UPDATE and DELETE like `decision` and `audit_event`.
`shipment.assessment_id` has no foreign key: the assessment already points at
its shipment, and a cycle of foreign keys would complicate every backend.
Shipments created before this revision have no assessment until their next scan.
"""
from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0008_assessments'
down_revision = '0007_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('risk_score', sa.Float(), nullable=False),
    sa.Column('recommendation', sa.String(length=8), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('unit_findings', sa.JSON(), nullable=False),
    sa.Column('scan_count', sa.Integer(), nullable=False),
    sa.Column('ruleset_version', sa.String(length=64), nullable=True),
    sa.Column('reference_as_of', sa.JSON(), nullable=False),
    sa.Column('created_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_assessment_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_shipment_id'), ['shipment_id'], unique=False)
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reopened_reason', sa.Text(), nullable=True))
    # A plain ADD COLUMN (no table rebuild), so decision keeps its append-only triggers.
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('decision', sa.Column('assessment_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f('fk_decision_assessment_id_assessment'), 'decision', 'assessment',
            ['assessment_id'], ['id'],
        )
    else:
        op.execute(
            "ALTER TABLE decision ADD COLUMN assessment_id INTEGER "
            "CONSTRAINT fk_decision_assessment_id_assessment REFERENCES assessment (id)"
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE TRIGGER assessment_append_only BEFORE UPDATE OR DELETE ON assessment "
            "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()"
        )
    else:
        for operation in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER assessment_no_{operation.lower()} BEFORE {operation} "
                f"ON assessment BEGIN SELECT RAISE(ABORT, "
                f"'assessment is append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS assessment_append_only ON assessment")
        op.drop_constraint(op.f('fk_decision_assessment_id_assessment'), 'decision', type_='foreignkey')
        op.drop_column('decision', 'assessment_id')
    else:
        for operation in ('update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS assessment_no_{operation}")
        # SQLite 3.35+ drops a plain column in place (a rebuild would lose the triggers).
        op.execute("ALTER TABLE decision DROP COLUMN assessment_id")
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.drop_column('reopened_reason')
        batch_op.drop_column('assessment_id')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_shipment_id'))
    op.drop_table('assessment')
