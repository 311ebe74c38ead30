"""dispatch estimates: when a waiting order should arrive; assignments by offer time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dispatch_estimates',
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('dropoff_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_dispatch_estimates_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_dispatch_estimates'))
    )
    with op.batch_alter_table('dispatch_estimates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_estimates_computed_at'), ['computed_at'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_offered_at'), ['offered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_offered_at'))

    with op.batch_alter_table('dispatch_estimates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_estimates_computed_at'))

    op.drop_table('dispatch_estimates')
