"""selectivity: shipment lanes and random draws; exam results (append-only)

Revision ID: 0006_selectivity
Revises: 0005_registry
Create Date: 2026-12-02

Existing shipments get the lane their stored recommendation maps to with
the default policy (detain red, exam yellow, release green); their random
draw is made at their next assessment.
"""
from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0006_selectivity'
down_revision = '0005_registry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lane', sa.String(length=6), server_default='green', nullable=False))
        batch_op.add_column(sa.Column('selected_by', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('random_draw', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('random_selected', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('shadow_recommendation', sa.String(length=8), nullable=True))
    op.execute(
        "UPDATE shipment SET "
        "lane = CASE recommendation WHEN 'detain' THEN 'red' WHEN 'exam' THEN 'yellow' "
        "ELSE 'green' END, "
        "selected_by = CASE WHEN recommendation IN ('detain', 'exam') THEN 'rules' END"
    )

    op.create_table('exam_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=12), nullable=False),
    sa.Column('charges', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('recorded_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('lane', sa.String(length=6), nullable=False),
    sa.Column('selected_by', sa.String(length=8), nullable=True),
    sa.CheckConstraint("result IN ('violation', 'no_violation', 'inconclusive')", name=op.f('ck_exam_result_result')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_exam_result_actor_id_user_account')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipment.id'], name=op.f('fk_exam_result_shipment_id_shipment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_result'))
    )
    with op.batch_alter_table('exam_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_result_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exam_result_shipment_id'), ['shipment_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        # The refusing function comes with the decisions' migration.
        op.execute(
            "CREATE TRIGGER exam_result_append_only BEFORE UPDATE OR DELETE ON exam_result "
            "FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()"
        )
    else:
        for operation in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER exam_result_no_{operation.lower()} BEFORE {operation} "
                "ON exam_result BEGIN SELECT RAISE(ABORT, "
                f"'exam_result is append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS exam_result_append_only ON exam_result")
    else:
        for operation in ('update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS exam_result_no_{operation}")
    with op.batch_alter_table('exam_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_result_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_exam_result_recorded_at'))
    op.drop_table('exam_result')
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.drop_column('shadow_recommendation')
        batch_op.drop_column('random_selected')
        batch_op.drop_column('random_draw')
        batch_op.drop_column('selected_by')
        batch_op.drop_column('lane')
