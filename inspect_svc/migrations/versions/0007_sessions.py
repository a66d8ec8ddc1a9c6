"""sessions: session version per user, token expiry, login throttle

Revision ID: 0007_sessions
Revises: 0006_selectivity
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import inspect_svc.models.base


revision = '0007_sessions'
down_revision = '0006_selectivity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('expires_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_table('login_throttle',
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', inspect_svc.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("scope IN ('address', 'user')", name=op.f('ck_login_throttle_scope')),
    sa.PrimaryKeyConstraint('scope', 'subject', name=op.f('pk_login_throttle'))
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
