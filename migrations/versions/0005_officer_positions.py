"""officer positions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 05:45:36.695497
"""

from alembic import op
import sqlalchemy as sa
import geoalchemy2


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('officer_positions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_officer_positions'))
    )
    op.create_index(op.f('ix_officer_positions_team_id'), 'officer_positions', ['team_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_officer_positions_team_id'), table_name='officer_positions')
    op.drop_table('officer_positions')
