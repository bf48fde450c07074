"""served-counts journal marks: how far each journal file was added

Decisions append their served counts to a journal file per process
(stats/journal.py); a mark says how many bytes of a file are already in the
counters, moved in the same transaction as the counts.

Revision ID: 0009_served_journal
Revises: 0008_campaign_prices
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_served_journal'
down_revision = '0008_campaign_prices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stats_journal_mark",
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stats_journal_mark")),
    )


def downgrade():
    op.drop_table("stats_journal_mark")
