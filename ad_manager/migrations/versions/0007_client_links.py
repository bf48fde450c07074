"""client links: read-only links to a campaign's report for the advertiser

One row per link: its campaign, who made it, when it expires (90 days by default),
when it was revoked and last opened, and the SHA-256 of its token (the token itself
is only in the address given to the client).

Revision ID: 0007_client_links
Revises: 0006_delivery_alerts
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_client_links'
down_revision = '0006_delivery_alerts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE",
                                name=op.f("fk_client_link_campaign_id_campaign")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL",
                                name=op.f("fk_client_link_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_client_link_token_hash")))
    with op.batch_alter_table("client_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_link_campaign_id"), ["campaign_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("client_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_link_campaign_id"))
    op.drop_table("client_link")
