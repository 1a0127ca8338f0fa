"""officer duty status

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 06:24:19.581752
"""

from alembic import op
import sqlalchemy as sa
import geoalchemy2


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('on_duty', sa.Boolean(), server_default='1', nullable=False))


def downgrade():
    op.drop_column('users', 'on_duty')
