"""due-feed index per topic

Several workers share one PostgreSQL database (DESIGN §4) and every tick of
every worker asks for a topic's due feeds (topic_id = ? AND next_poll_at <= now,
FOR UPDATE SKIP LOCKED), so the single-column index on next_poll_at becomes one
on (topic_id, next_poll_at).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_next_poll_at'))
        batch_op.create_index('ix_feed_topic_next_poll', ['topic_id', 'next_poll_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feed', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_topic_next_poll')
        batch_op.create_index(batch_op.f('ix_feed_next_poll_at'), ['next_poll_at'], unique=False)
