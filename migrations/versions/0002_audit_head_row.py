"""the audit chain's head row exists from the start

Appends lock this row (SELECT … FOR UPDATE); creating it lazily would let two first appends race.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:10:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade():
    op.execute(f"INSERT INTO audit_head (id, seq, hash) SELECT 1, 0, '{GENESIS}' "
               "WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)")


def downgrade():
    op.execute("DELETE FROM audit_head WHERE id = 1 AND seq = 0")
