"""evidence files and partners' step confirmations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table('evidence',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('task_id', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_evidence_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('client_id', name=op.f('uq_evidence_client_id'))
    )
    op.create_index(op.f('ix_evidence_task_id'), 'evidence', ['task_id'], unique=False)
    op.create_index(op.f('ix_evidence_sha256'), 'evidence', ['sha256'], unique=False)
    op.create_table('step_confirmations',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('transition_id', BIG_ID, nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('server_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['transition_id'], ['task_transitions.id'],
                            name=op.f('fk_step_confirmations_transition_id_task_transitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_confirmations')),
    sa.UniqueConstraint('transition_id', 'officer_id', name='uq_step_confirmations_officer')
    )
    op.create_index(op.f('ix_step_confirmations_transition_id'), 'step_confirmations', ['transition_id'],
                    unique=False)


def downgrade():
    op.drop_table('step_confirmations')
    op.drop_table('evidence')
