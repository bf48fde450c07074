"""campaign changes: which campaigns each value of the campaigns' counter changed

Each move of the campaigns' counter (inventory_version row 3) logs the campaigns it
concerns under its new value, so an app process reads again exactly the campaigns
changed since its snapshot's value instead of those written within a minute of its
clock (models/version.py). Rows older than a day are pruned by `stats rollup`.

Revision ID: 0010_campaign_changes
Revises: 0009_served_journal
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_campaign_changes'
down_revision = '0009_served_journal'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_change",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("campaign_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version", "campaign_id", name=op.f("pk_campaign_change")),
    )


def downgrade():
    op.drop_table("campaign_change")
