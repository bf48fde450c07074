"""invalid traffic: filtered counts by reason, counted flag of seen events, goal measure,
readers' daily counts for the anomaly flags

Counter rows get one column per reason an event was filtered (filtered stays the
total); a seen event says whether it was counted (a viewable or click needs a
counted rendered before it); a campaign says what its goal counts;
stats_reader_daily keeps each (hashed) reader address's impressions and clicks a day.

Revision ID: 0004_invalid_traffic
Revises: 0003_not_placed
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_invalid_traffic'
down_revision = '0003_not_placed'
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
    op.create_table(
        "stats_reader_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("creative_id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=16), nullable=False),
        sa.Column("rendered", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_reader_daily")),
        sa.UniqueConstraint("day", "site_id", "placement_id", "campaign_id", "creative_id",
                            "reader", name="uq_stats_reader_daily"))
    with op.batch_alter_table("stats_reader_daily", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stats_reader_daily_day"), ["day"], unique=False)


def downgrade():
    with op.batch_alter_table("stats_reader_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stats_reader_daily_day"))
    op.drop_table("stats_reader_daily")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("goal_measure")
    with op.batch_alter_table("stats_seen_event", schema=None) as batch_op:
        batch_op.drop_column("counted")
    for table in ("stats_hourly", "stats_daily"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for reason in reversed(REASONS):
                batch_op.drop_column(f"filtered_{reason}")
