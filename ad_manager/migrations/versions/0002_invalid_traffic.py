"""invalid traffic: filtered counts by reason, counted flag of seen events, goal measure

Counter rows get one column per reason an event was filtered (filtered stays the
total); a seen event says whether it was counted (a viewable or click needs a
counted rendered before it); a campaign says what its goal counts.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

REASONS = ("bot", "excluded", "origin", "prefetch", "rate", "order", "replay")


def upgrade():
    for table in ("stats_hourly", "stats_daily"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for reason in REASONS:
                batch_op.add_column(sa.Column(f"filtered_{reason}", sa.Integer(), nullable=False,
                                              server_default="0"))
    with op.batch_alter_table("stats_seen_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goal_measure", sa.String(length=16), nullable=False,
                                      server_default="rendered"))


def downgrade():
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("goal_measure")
    with op.batch_alter_table("stats_seen_event", schema=None) as batch_op:
        batch_op.drop_column("counted")
    for table in ("stats_hourly", "stats_daily"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for reason in reversed(REASONS):
                batch_op.drop_column(f"filtered_{reason}")
