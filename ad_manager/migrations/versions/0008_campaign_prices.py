"""campaign prices: pricing model, price and order number

A campaign is sold by CPM, CPC, viewable CPM, a flat fee per day or for the flight
(stats/revenue.py); its price is a decimal in the reports' currency, empty for a
campaign not priced; the order number is the publisher's own reference.

Revision ID: 0008_campaign_prices
Revises: 0007_client_links
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_campaign_prices'
down_revision = '0007_client_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pricing_model", sa.String(length=16), nullable=False,
                                      server_default="cpm"))
        batch_op.add_column(sa.Column("price", sa.Numeric(precision=12, scale=4),
                                      nullable=True))
        batch_op.add_column(sa.Column("order_number", sa.String(length=64), nullable=False,
                                      server_default=""))


def downgrade():
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("order_number")
        batch_op.drop_column("price")
        batch_op.drop_column("pricing_model")
