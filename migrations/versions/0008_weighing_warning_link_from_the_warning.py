"""a weighing's warning is found from the warning (warnings.weighing_id, indexed), not a back-link

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 23:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    # Only overload warnings carry a weighing: a partial index stays small and serves the replay look-up.
    op.create_index('ix_warnings_weighing_id', 'warnings', ['weighing_id'], unique=False,
                    postgresql_where=sa.text('weighing_id IS NOT NULL'),
                    sqlite_where=sa.text('weighing_id IS NOT NULL'))
    with op.batch_alter_table('weighings') as batch:
        batch.drop_column('warning_id')


def downgrade():
    with op.batch_alter_table('weighings') as batch:
        batch.add_column(sa.Column('warning_id', BIG_ID, nullable=True))
    op.execute('UPDATE weighings SET warning_id = (SELECT w.id FROM warnings w WHERE w.weighing_id = weighings.id)')
    op.drop_index('ix_warnings_weighing_id', table_name='warnings')
