"""count placements a page could not host ("not placed")

Revision ID: 0003_not_placed
Revises: 0002_rule_chain
Create Date: 2026-11-30 12:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0003_not_placed'
down_revision = '0002_rule_chain'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('stats_hourly', 'stats_daily'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('not_placed', sa.Integer(), nullable=False,
                                          server_default='0'))


def downgrade():
    for table in ('stats_daily', 'stats_hourly'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('not_placed')
