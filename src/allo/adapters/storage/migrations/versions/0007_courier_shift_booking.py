"""couriers: the next shift booked ahead

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('couriers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booked_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('booked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('booked_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('booked_lon', sa.Float(), nullable=True))
        batch_op.create_index('ix_couriers_booked_from', ['booked_from'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('couriers', schema=None) as batch_op:
        batch_op.drop_index('ix_couriers_booked_from')
        batch_op.drop_column('booked_lon')
        batch_op.drop_column('booked_lat')
        batch_op.drop_column('booked_until')
        batch_op.drop_column('booked_from')
